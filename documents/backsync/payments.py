"""Payments from 1C against the app's invoices: store each payment line once, recompute the
invoice's status, and report new payments to the deal exactly once.

Exactly once: a `Payment` row per (1C document, РасшифровкаПлатежа line) — the unique key makes
re-reading a window harmless — and `reported_at` is claimed before Bitrix24 is told and released
only when Bitrix24 could not be reached, so a retry reports it and a repeat never does.
"""

import logging
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from b24app.models import Portal
from documents.audit import audit
from documents.models import Contract, Invoice, Payment, PortalSettings
from documents.money import format_money
from onec.connector import Connector
from onec.operations.payments import payments_in_window
from onec.operations.types import Payment as OneCPayment
from onec.operations.types import PaymentCursor

from .notify import B24Session, Notice, deliver

log = logging.getLogger("documents.backsync")


def lookback() -> timedelta:
    """How far before the cursor each poll re-reads (late-entered, back-dated documents)."""
    return timedelta(days=int(getattr(settings, "BACKSYNC_LOOKBACK_DAYS", 3)))


def window_start(portal: Portal, cursor_date: str) -> datetime:
    """Where to start reading: the cursor minus the look-back, or on the first poll the date
    of the portal's oldest open invoice (nothing older can concern us)."""
    if cursor_date:
        return datetime.fromisoformat(cursor_date) - lookback()
    oldest = (
        Invoice.objects.for_portal(portal)
        .exclude(payment_status=Invoice.PaymentStatus.PAID)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    if oldest is None:
        return datetime.now().replace(microsecond=0) - lookback()
    return datetime.combine(oldest, datetime.min.time())


def sync_payments(portal: Portal, c: Connector, cursor: dict) -> tuple[dict, dict]:
    """Read payments in the window and store the lines that concern us; returns (counts, new
    cursor). Touches no Bitrix24: reporting is `report_payments`."""
    since = window_start(portal, cursor.get("date", ""))
    payments, new_cursor = payments_in_window(c, since)
    if not payments:
        return {"payments_read": 0, "payment_lines_new": 0}, cursor or {}
    invoices = _our_invoices(portal, payments)
    known = _known_counterparties(portal, payments)
    touched: set[int] = set()
    new_lines = 0
    with transaction.atomic():
        existing = {
            (str(p.onec_ref_key), p.line): p
            for p in Payment.objects.for_portal(portal).filter(
                onec_ref_key__in={uuid.UUID(p.ref_key) for p in payments}
            )
        }
        for payment in payments:
            for line_no, allocation in enumerate(payment.allocations, start=1):
                line = allocation.line or line_no
                invoice = invoices.get(allocation.invoice_ref.lower())
                if invoice is None and (
                    allocation.invoice_ref or payment.counterparty_ref not in known
                ):
                    continue  # another invoice of 1C's, or a stranger's money
                row = existing.get((payment.ref_key.lower(), line))
                if row is None:
                    row = Payment.objects.create(
                        portal=portal,
                        onec_ref_key=uuid.UUID(payment.ref_key),
                        line=line,
                        invoice=invoice,
                        onec_counterparty_ref=_uuid_or_none(payment.counterparty_ref),
                        amount=allocation.amount,
                        date=(payment.date or datetime.now()).date(),
                    )
                    new_lines += 1
                elif row.amount != allocation.amount or row.invoice_id != (invoice and invoice.pk):
                    # An accountant corrected the payment in 1C: follow, but don't re-report.
                    row.amount = allocation.amount
                    row.invoice = invoice
                    row.save(update_fields=["amount", "invoice"])
                else:
                    continue
                if invoice is not None:
                    touched.add(invoice.pk)
        for invoice in Invoice.objects.filter(pk__in=touched):
            _recompute(invoice)
    counts = {"payments_read": len(payments), "payment_lines_new": new_lines}
    return counts, PaymentCursor.from_dict(new_cursor.as_dict()).as_dict()


def _our_invoices(portal: Portal, payments: list[OneCPayment]) -> dict[str, Invoice]:
    refs = {uuid.UUID(a.invoice_ref) for p in payments for a in p.allocations if a.invoice_ref}
    return {
        str(i.onec_ref_key): i
        for i in Invoice.objects.for_portal(portal).filter(onec_ref_key__in=refs)
    }


def _known_counterparties(portal: Portal, payments: list[OneCPayment]) -> set[str]:
    """Counterparty refs the app has issued invoices or contracts to ("known to the app")."""
    refs = {u for u in (_uuid_or_none(p.counterparty_ref) for p in payments) if u}
    known = set(
        Invoice.objects.for_portal(portal)
        .filter(onec_counterparty_ref__in=refs)
        .values_list("onec_counterparty_ref", flat=True)
    ) | set(
        Contract.objects.for_portal(portal)
        .filter(onec_counterparty_ref__in=refs)
        .values_list("onec_counterparty_ref", flat=True)
    )
    return {str(u) for u in known}


def _uuid_or_none(value: str):
    try:
        ref = uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
    return None if ref.int == 0 else ref


def _recompute(invoice: Invoice) -> None:
    """Status from the stored payment lines: a split payment counts only its line for this
    invoice; more than the total is still «Оплачен» (the overpayment is the accountant's)."""
    agg = invoice.payments.aggregate(paid=Sum("amount"), last=Max("date"))
    paid = agg["paid"] or Decimal("0")
    if invoice.deleted_in_1c:
        status = Invoice.PaymentStatus.CANCELLED
    elif paid <= 0:
        status = Invoice.PaymentStatus.UNPAID
    elif paid < invoice.total:
        status = Invoice.PaymentStatus.PARTIAL
    else:
        status = Invoice.PaymentStatus.PAID
    if (invoice.paid_amount, invoice.payment_status, invoice.last_paid_at) == (
        paid,
        status,
        agg["last"],
    ):
        return
    old_status = invoice.payment_status
    invoice.paid_amount = paid
    invoice.payment_status = status
    invoice.last_paid_at = agg["last"]
    invoice.save(update_fields=["paid_amount", "payment_status", "last_paid_at", "updated_at"])
    audit(
        portal=invoice.portal,
        action="invoice.payment_status",
        deal_id=invoice.deal_id,
        obj=invoice,
        old=old_status,
        new=status,
        paid=str(paid),
    )


# ---- reporting -------------------------------------------------------------------------------


def report_payments(portal: Portal, session: B24Session) -> int:
    """Tell each deal about its invoice's unreported payments (one line per invoice per poll);
    returns how many invoices were reported."""
    pending = list(
        Payment.objects.for_portal(portal)
        .filter(invoice__isnull=False, reported_at__isnull=True)
        .select_related("invoice")
        .order_by("date", "pk")
    )
    if not pending:
        return 0
    by_invoice: dict[int, list[Payment]] = defaultdict(list)
    for payment in pending:
        by_invoice[payment.invoice_id].append(payment)
    claimed = claim_unreported([p.pk for p in pending])
    stages = stage_settings(portal)
    notices = []
    for lines in by_invoice.values():
        lines = [p for p in lines if p.pk in claimed]
        if lines:
            notices.append(_payment_notice(lines[0].invoice, lines, stages))
    done = deliver(session, notices)
    failed = [
        p.pk
        for invoice_id, lines in by_invoice.items()
        if not done.get(f"pay{invoice_id}", True)
        for p in lines
    ]
    if failed:
        Payment.objects.filter(pk__in=failed).update(reported_at=None)
    return sum(1 for ok in done.values() if ok)


def claim_unreported(ids: list[int]) -> set[int]:
    """Mark these payment lines reported; returns the ids this poll claimed (a concurrent
    reporter keeps the ones it claimed first)."""
    now = timezone.now()
    with transaction.atomic():
        Payment.objects.filter(pk__in=ids, reported_at__isnull=True).update(reported_at=now)
        return set(Payment.objects.filter(pk__in=ids, reported_at=now).values_list("pk", flat=True))


def stage_settings(portal: Portal) -> PortalSettings:
    return PortalSettings.objects.filter(portal=portal).first() or PortalSettings(portal=portal)


def _payment_notice(invoice: Invoice, lines: list[Payment], stages: PortalSettings) -> Notice:
    label = _("Счёт № %(number)s от %(date)s") % {
        "number": invoice.number,
        "date": invoice.date.strftime("%d.%m.%Y"),
    }
    received = "; ".join(
        _("%(amount)s руб. от %(date)s")
        % {"amount": format_money(p.amount), "date": f"{p.date:%d.%m.%Y}"}
        for p in lines
    )
    status = Invoice.PaymentStatus(invoice.payment_status).label
    text = _(
        "Поступила оплата: %(received)s. Оплачено %(paid)s из %(total)s руб. — %(status)s."
    ) % {
        "received": received,
        "paid": format_money(invoice.paid_amount),
        "total": format_money(invoice.total),
        "status": status,
    }
    paid = invoice.payment_status == Invoice.PaymentStatus.PAID
    return Notice(
        key=f"pay{invoice.pk}",
        title=f"{label}: {status}",
        text=text,
        deal_id=invoice.deal_id,
        acting_user_id=invoice.responsible_user_id,
        notify_user_ids=[invoice.responsible_user_id] if invoice.responsible_user_id else [],
        tag=f"docs1c-payment-{invoice.pk}",
        stage_by_category=stages.stage_after_payment if paid else {},
    )
