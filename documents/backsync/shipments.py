"""Shipments (реализации) and the fate of invoices in 1C: shipped in full (or the order closed)
moves the deal to the configured stage once; an invoice deleted in 1C is marked cancelled.

Recent shipments only say *which* invoices to look at; their shipped totals are then summed
exactly per counterparty, so re-reading the window never counts a shipment twice.
"""

import logging
import uuid
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from b24app.models import Portal
from documents.audit import audit
from documents.models import Invoice, PortalSettings
from documents.money import format_money
from onec.connector import Connector
from onec.operations.payments import invoice_states, shipments_in_window, shipped_by_invoice

from .notify import B24Session, Notice, deliver
from .payments import stage_settings, window_start

log = logging.getLogger("documents.backsync")


def _open_invoices(portal: Portal):
    return Invoice.objects.for_portal(portal).filter(shipment_complete=False, deleted_in_1c=False)


def sync_shipments(portal: Portal, c: Connector, cursor: dict) -> tuple[dict, dict, set[str]]:
    """Update shipped amounts and deletion flags; returns (counts, new cursor, refs of orders
    closed in 1C)."""
    open_invoices = _open_invoices(portal)
    oldest = open_invoices.order_by("date").values_list("date", flat=True).first()
    if oldest is None:
        return {"shipments_read": 0}, cursor or {}, set()
    started = datetime.now().replace(microsecond=0)
    since = window_start(portal, cursor.get("date", ""))
    recent = shipments_in_window(c, since)
    deleted, closed = invoice_states(c, oldest)
    refs = {uuid.UUID(s.invoice_ref) for s in recent} | {uuid.UUID(r) for r in deleted | closed}
    # Also those left complete-but-unreported by a failed Bitrix24 delivery last time.
    candidates = list(
        open_invoices.filter(onec_ref_key__in=refs)
        | open_invoices.filter(shipped_amount__gte=F("total"), shipped_amount__gt=0)
    )
    by_counterparty: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in candidates:
        if invoice.onec_counterparty_ref and str(invoice.onec_ref_key) not in deleted:
            by_counterparty[str(invoice.onec_counterparty_ref)].append(invoice)
    shipped: dict[str, object] = {}
    for counterparty_ref in by_counterparty:
        shipped.update(shipped_by_invoice(c, counterparty_ref))
    counts = {"shipments_read": len(recent), "invoices_deleted_in_1c": 0}
    with transaction.atomic():
        for invoice in candidates:
            ref = str(invoice.onec_ref_key)
            if ref in deleted:
                invoice.deleted_in_1c = True
                invoice.payment_status = Invoice.PaymentStatus.CANCELLED
                invoice.save(update_fields=["deleted_in_1c", "payment_status", "updated_at"])
                audit(
                    portal=portal,
                    action="invoice.deleted_in_1c",
                    deal_id=invoice.deal_id,
                    obj=invoice,
                )
                counts["invoices_deleted_in_1c"] += 1
            elif ref in shipped and shipped[ref] != invoice.shipped_amount:
                invoice.shipped_amount = shipped[ref]
                invoice.save(update_fields=["shipped_amount", "updated_at"])
    return counts, {"date": started.isoformat()}, closed


def report_shipments(portal: Portal, session: B24Session, closed_refs: set[str]) -> int:
    """Invoices shipped in full (or whose order is closed) become complete, once: the flag is
    claimed first and released only when Bitrix24 could not be told."""
    ready = [
        i
        for i in _open_invoices(portal)
        if (i.shipped_amount > 0 and i.shipped_amount >= i.total)
        or str(i.onec_ref_key) in closed_refs
    ]
    if not ready:
        return 0
    claimed = []
    for invoice in ready:
        with transaction.atomic():
            if _open_invoices(portal).filter(pk=invoice.pk).update(shipment_complete=True):
                audit(
                    portal=portal,
                    action="invoice.shipment_complete",
                    deal_id=invoice.deal_id,
                    obj=invoice,
                    shipped=str(invoice.shipped_amount),
                )
                claimed.append(invoice)
    stages = stage_settings(portal)
    notices = [_shipment_notice(i, stages, str(i.onec_ref_key) in closed_refs) for i in claimed]
    done = deliver(session, notices)
    failed = [i.pk for i in claimed if not done.get(f"ship{i.pk}", True)]
    if failed:
        Invoice.objects.filter(pk__in=failed).update(shipment_complete=False)
    return len(claimed) - len(failed)


def _shipment_notice(invoice: Invoice, stages: PortalSettings, closed: bool) -> Notice:
    label = _("Счёт № %(number)s от %(date)s") % {
        "number": invoice.number,
        "date": invoice.date.strftime("%d.%m.%Y"),
    }
    if closed and invoice.shipped_amount < invoice.total:
        text = _("Заказ закрыт в 1С; отгружено %(shipped)s из %(total)s руб.")
    else:
        text = _("Товары отгружены полностью: %(shipped)s из %(total)s руб.")
    text = text % {
        "shipped": format_money(invoice.shipped_amount),
        "total": format_money(invoice.total),
    }
    return Notice(
        key=f"ship{invoice.pk}",
        title=_("%(label)s: отгружен") % {"label": label},
        text=text,
        deal_id=invoice.deal_id,
        acting_user_id=invoice.responsible_user_id,
        notify_user_ids=[invoice.responsible_user_id] if invoice.responsible_user_id else [],
        tag=f"docs1c-shipment-{invoice.pk}",
        stage_by_category=stages.stage_after_shipment,
    )
