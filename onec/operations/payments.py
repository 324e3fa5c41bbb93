"""Payments and shipments against our invoices/orders, and the incremental payment poll."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ..connector import Connector
from ..odata import Guid, as_decimal, as_int, odata_filter, parse_date, ref_or_empty
from .types import (
    Payment,
    PaymentAllocation,
    PaymentCursor,
    PaymentStatus,
    Shipment,
)

_POSTED = "Posted eq {} and DeletionMark eq {}"


def _payment(c: Connector, row: dict) -> Payment:
    bp = c.spec.is_bp
    allocations = []
    for index, line in enumerate(row.get("РасшифровкаПлатежа") or [], start=1):
        target = line.get("СчетНаОплату_Key") if bp else line.get("ОснованиеПлатежа")
        amount = as_decimal(line.get("СуммаПлатежа") if bp else line.get("Сумма"))
        allocations.append(
            PaymentAllocation(
                invoice_ref=ref_or_empty(target),
                amount=amount,
                line=as_int(line.get("LineNumber"), index),
            )
        )
    return Payment(
        ref_key=row["Ref_Key"],
        number=row.get("Number", ""),
        date=parse_date(row.get("Date")),
        amount=as_decimal(row.get("СуммаДокумента")),
        counterparty_ref=row.get("Контрагент_Key", ""),
        organization_ref=row.get("Организация_Key", ""),
        purpose=row.get("НазначениеПлатежа", ""),
        allocations=allocations,
    )


def payments_for_invoice(c: Connector, invoice_ref: str, counterparty_ref: str) -> list[Payment]:
    """Posted payments with a row allocated to this invoice/order.

    1C cannot filter on tabular-section rows, so the counterparty's payments are read and the
    allocation rows matched here.
    """
    flt = odata_filter("Контрагент_Key eq {} and " + _POSTED, Guid(counterparty_ref), True, False)
    payments = [_payment(c, r) for r in c.odata.iter_all(c.spec.payments, filter=flt)]
    return [p for p in payments if p.amount_for(invoice_ref) > 0]


def payment_status(
    c: Connector, invoice_ref: str, counterparty_ref: str, total: Decimal
) -> tuple[str, Decimal]:
    """(status, paid amount). BP keeps a status register; UT/KA derive it from payments."""
    paid = sum(
        (p.amount_for(invoice_ref) for p in payments_for_invoice(c, invoice_ref, counterparty_ref)),
        Decimal("0"),
    )
    if c.spec.status_register:
        rows = c.odata.query(
            c.spec.status_register, filter=odata_filter("Документ eq {}", Guid(invoice_ref))
        )
        if rows:
            return rows[0].get("Статус") or PaymentStatus.UNPAID, paid
    if paid <= 0:
        status = PaymentStatus.UNPAID
    elif paid < total:
        status = PaymentStatus.PARTIAL
    else:
        status = PaymentStatus.PAID
    return status, paid


def shipments_for_invoice(c: Connector, invoice_ref: str, counterparty_ref: str) -> list[Shipment]:
    """Sales (реализации) based on this invoice (BP) or order (UT/KA), deletion-marked skipped."""
    flt = odata_filter("Контрагент_Key eq {} and DeletionMark eq {}", Guid(counterparty_ref), False)
    rows = c.odata.iter_all(c.spec.shipments, filter=flt)
    return [_shipment(row, invoice_ref) for row in rows if _shipment_basis(c, row) == invoice_ref]


def _shipment_basis(c: Connector, row: dict) -> str:
    """The invoice (BP) or order (UT/KA) a sale was made from; "" when it names none."""
    return ref_or_empty(row.get("СчетНаОплатуПокупателю_Key" if c.spec.is_bp else "ЗаказКлиента"))


def _shipment(row: dict, invoice_ref: str) -> Shipment:
    return Shipment(
        ref_key=row["Ref_Key"],
        number=row.get("Number", ""),
        date=parse_date(row.get("Date")),
        amount=as_decimal(row.get("СуммаДокумента")),
        invoice_ref=invoice_ref,
        posted=bool(row.get("Posted")),
    )


def payments_since(
    c: Connector, cursor: PaymentCursor | None, *, limit: int = 200
) -> tuple[list[Payment], PaymentCursor]:
    """Posted payments after the cursor, oldest first, about `limit` per call (a page never ends
    inside a second, so it may hold more). Call again while the list comes back non-empty.

    The cursor is (Date, Ref_Key), but 1C can neither compare GUIDs with `gt` nor promise an
    order among rows of one second. So a second is only ever read whole — the cursor's own
    second (paged with $skip: a bank statement can put hundreds of payments in it), and a
    later second cut by `$top` is dropped from the page and read whole instead.
    """
    cursor = cursor or PaymentCursor()
    rows: list[dict] = []
    if cursor.date:
        rows += [r for r in _posted_at(c, cursor.date) if r["Ref_Key"] > cursor.ref]
        later_filter = odata_filter(
            _POSTED + " and Date gt {}", True, False, datetime.fromisoformat(cursor.date)
        )
    else:
        later_filter = odata_filter(_POSTED, True, False)
    later = c.odata.query(c.spec.payments, filter=later_filter, orderby="Date asc", top=limit)
    if len(later) == limit:
        cut = later[-1]["Date"]
        later = [r for r in later if r["Date"] != cut] + _posted_at(c, cut)
    rows += later
    if not rows:
        return [], cursor
    rows.sort(key=lambda r: (r["Date"], r["Ref_Key"]))
    last = rows[-1]
    return [_payment(c, r) for r in rows], PaymentCursor(date=last["Date"], ref=last["Ref_Key"])


def _posted_at(c: Connector, moment: str) -> list[dict]:
    """Every posted payment of one second."""
    flt = odata_filter(_POSTED + " and Date eq {}", True, False, datetime.fromisoformat(moment))
    return list(c.odata.iter_all(c.spec.payments, filter=flt))


def payments_in_window(
    c: Connector, since: datetime, *, page_size: int = 200
) -> tuple[list[Payment], PaymentCursor]:
    """Every posted payment dated at or after `since`, oldest first, and the cursor at the newest.

    `payments_since` alone misses a payment entered late but dated before its cursor (bank
    statements are often loaded a day or two after the fact). Re-reading a window that starts
    some days before the cursor catches those; callers dedupe by (Ref_Key, LineNumber).
    """
    # The cursor excludes its own second: start one second earlier so `since` is included.
    start = since.replace(microsecond=0) - timedelta(seconds=1)
    cursor = PaymentCursor(date=start.isoformat(), ref="")
    result: list[Payment] = []
    while True:
        page, cursor = payments_since(c, cursor, limit=page_size)
        result.extend(page)
        # A page cut by $top is never shorter than the limit: shorter means nothing is left.
        if len(page) < page_size:
            return result, cursor


def shipments_in_window(c: Connector, since: datetime) -> list[Shipment]:
    """Posted, not deletion-marked sales dated at or after `since` that name an invoice/order.

    Used to find which invoices got shipments lately; their totals are then summed exactly with
    `shipments_for_invoice`, so re-reading the window never counts a shipment twice.
    """
    flt = odata_filter(_POSTED + " and Date ge {}", True, False, since.replace(microsecond=0))
    result = []
    for row in c.odata.iter_all(c.spec.shipments, filter=flt, orderby="Date asc, Ref_Key"):
        basis = _shipment_basis(c, row)
        if basis:
            result.append(_shipment(row, basis))
    return result


def invoice_states(c: Connector, since: date) -> tuple[set[str], set[str]]:
    """(deletion-marked refs, closed refs) among invoices/orders dated on or after `since`.

    Only UT/KA orders have a «Закрыт» status; BP invoices are never "closed".
    """
    start = datetime.combine(since, time.min)
    deleted = {
        row["Ref_Key"]
        for row in c.odata.iter_all(
            c.spec.invoice,
            filter=odata_filter("DeletionMark eq {} and Date ge {}", True, start),
            select=["Ref_Key"],
        )
    }
    closed: set[str] = set()
    if not c.spec.is_bp:
        closed = {
            row["Ref_Key"]
            for row in c.odata.iter_all(
                c.spec.invoice,
                filter=odata_filter(
                    "DeletionMark eq {} and Статус eq {} and Date ge {}", False, "Закрыт", start
                ),
                select=["Ref_Key"],
            )
        }
    return deleted, closed


def shipped_by_invoice(c: Connector, counterparty_ref: str) -> dict[str, Decimal]:
    """{invoice/order ref: sum of its posted, not deletion-marked shipments} for one
    counterparty: partial shipments add up. One paged read per counterparty."""
    flt = odata_filter("Контрагент_Key eq {} and " + _POSTED, Guid(counterparty_ref), True, False)
    totals: dict[str, Decimal] = {}
    for row in c.odata.iter_all(c.spec.shipments, filter=flt):
        basis = _shipment_basis(c, row)
        if basis:
            totals[basis] = totals.get(basis, Decimal("0")) + as_decimal(row.get("СуммаДокумента"))
    return totals
