"""Payments and shipments against our invoices/orders, and the incremental payment poll."""

from datetime import datetime
from decimal import Decimal

from ..connector import Connector
from ..odata import Guid, as_decimal, is_empty_ref, odata_filter, parse_date
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
    for line in row.get("РасшифровкаПлатежа") or []:
        target = line.get("СчетНаОплату_Key") if bp else line.get("ОснованиеПлатежа")
        amount = as_decimal(line.get("СуммаПлатежа") if bp else line.get("Сумма"))
        allocations.append(
            PaymentAllocation(invoice_ref="" if is_empty_ref(target) else target, amount=amount)
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
    bp = c.spec.is_bp
    flt = odata_filter("Контрагент_Key eq {} and DeletionMark eq {}", Guid(counterparty_ref), False)
    result = []
    for row in c.odata.iter_all(c.spec.shipments, filter=flt):
        link = row.get("СчетНаОплатуПокупателю_Key") if bp else row.get("ЗаказКлиента")
        if link != invoice_ref:
            continue
        result.append(
            Shipment(
                ref_key=row["Ref_Key"],
                number=row.get("Number", ""),
                date=parse_date(row.get("Date")),
                amount=as_decimal(row.get("СуммаДокумента")),
                invoice_ref=invoice_ref,
                posted=bool(row.get("Posted")),
            )
        )
    return result


def payments_since(
    c: Connector, cursor: PaymentCursor | None, *, limit: int = 200
) -> tuple[list[Payment], PaymentCursor]:
    """Posted payments newer than the cursor, oldest first, at most `limit` per call.

    Order is (Date, Ref_Key); the filter starts at the cursor's date and the rows at that very
    second already seen are dropped here (1C cannot compare GUIDs with `gt`). Call again while
    the list comes back full.
    """
    cursor = cursor or PaymentCursor()
    template = _POSTED
    values: list = [True, False]
    if cursor.date:
        template += " and Date ge {}"
        values.append(datetime.fromisoformat(cursor.date))
    rows = c.odata.query(
        c.spec.payments,
        filter=odata_filter(template, *values),
        orderby="Date asc",
        top=limit + 50,  # room for the rows at the cursor's second that are skipped
    )
    rows.sort(key=lambda r: (r.get("Date", ""), r["Ref_Key"]))
    fresh = [r for r in rows if (r.get("Date", ""), r["Ref_Key"]) > (cursor.date, cursor.ref)]
    fresh = fresh[:limit]
    if not fresh:
        return [], cursor
    last = fresh[-1]
    return [_payment(c, r) for r in fresh], PaymentCursor(date=last["Date"], ref=last["Ref_Key"])
