"""Money from a counterparty the app knows that 1C linked to no invoice: one notice to the
managers of the region (admin-set `Region.notify_user_ids`), with amount, payer and date.

The region is found through the managers who issued this counterparty's invoices (their
Bitrix24 departments) and, failing that, through the legal entity that received the money.
"""

import logging
from collections import defaultdict

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from b24app.models import Portal, PortalUser
from documents.models import Contract, Invoice, Payment, Region
from documents.money import format_money
from onec.connector import Connector
from onec.errors import OneCError

from .notify import B24Session, Notice, deliver
from .payments import claim_unreported

log = logging.getLogger("documents.backsync")


def report_unallocated(portal: Portal, session: B24Session, c: Connector | None) -> int:
    """Notify the region's managers of each unreported unallocated payment line; returns how
    many were reported. A payment with no region to tell is marked reported (nobody to tell,
    and asking again every five minutes would not change that)."""
    pending = list(
        Payment.objects.for_portal(portal)
        .filter(invoice__isnull=True, reported_at__isnull=True)
        .order_by("date", "pk")
    )
    if not pending:
        return 0
    claimed_ids = claim_unreported([p.pk for p in pending])
    claimed = [p for p in pending if p.pk in claimed_ids]
    notices = []
    for payment in claimed:
        recipients = region_recipients(portal, payment)
        if not recipients:
            log.info("portal=%s unallocated payment %s: no region to notify", portal.pk, payment.pk)
            continue
        payer = payment.payer_name or _payer_name(portal, payment, c)
        if payer and payer != payment.payer_name:
            payment.payer_name = payer[:500]
            payment.save(update_fields=["payer_name"])
        notices.append(
            Notice(
                key=f"free{payment.pk}",
                title=_("Оплата без счёта"),
                text=_("Поступило %(amount)s руб. от %(payer)s, %(date)s, без привязки к счёту.")
                % {
                    "amount": format_money(payment.amount),
                    "payer": payer or _("неизвестного плательщика"),
                    "date": f"{payment.date:%d.%m.%Y}",
                },
                notify_user_ids=recipients,
                tag=f"docs1c-unallocated-{payment.pk}",
            )
        )
    done = deliver(session, notices)
    failed = [int(key.removeprefix("free")) for key, ok in done.items() if not ok]
    if failed:
        Payment.objects.filter(pk__in=failed).update(reported_at=None)
    return sum(1 for ok in done.values() if ok)


def region_recipients(portal: Portal, payment: Payment) -> list[int]:
    """Bitrix24 user ids to tell: the notify lists of the regions of this counterparty."""
    regions = list(Region.objects.for_portal(portal))
    if not regions or payment.onec_counterparty_ref is None:
        return []
    invoices = Invoice.objects.for_portal(portal).filter(
        onec_counterparty_ref=payment.onec_counterparty_ref
    )
    managers = set(
        invoices.exclude(responsible_user_id=None).values_list("responsible_user_id", flat=True)
    )
    departments: set[int] = set()
    for ids in (
        PortalUser.objects.for_portal(portal)
        .filter(user_id__in=managers)
        .values_list("department_ids", flat=True)
    ):
        departments.update(_ints(ids))
    chosen = [r for r in regions if departments & set(_ints(r.department_ids))]
    if not chosen:
        entity_ids = set(invoices.values_list("legal_entity_id", flat=True)) | set(
            Contract.objects.for_portal(portal)
            .filter(onec_counterparty_ref=payment.onec_counterparty_ref)
            .values_list("legal_entity_id", flat=True)
        )
        by_entity = defaultdict(set)
        prefetch_related_objects(regions, "legal_entities")  # one query, not one per region
        for region in regions:
            for entity in region.legal_entities.all():
                by_entity[entity.pk].add(region.pk)
        wanted = set().union(*(by_entity[e] for e in entity_ids)) if entity_ids else set()
        chosen = [r for r in regions if r.pk in wanted]
    users: list[int] = []
    for region in chosen:
        users.extend(u for u in _ints(region.notify_user_ids) if u not in users)
    return users


def _ints(values) -> list[int]:
    result = []
    for value in values or []:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            continue
    return result


def _payer_name(portal: Portal, payment: Payment, c: Connector | None) -> str:
    contract = (
        Contract.objects.for_portal(portal)
        .filter(onec_counterparty_ref=payment.onec_counterparty_ref)
        .exclude(client_name="")
        .first()
    )
    if contract is not None:
        return contract.client_name
    if c is None:
        return ""
    try:
        row = c.odata.get(
            c.spec.counterparties, str(payment.onec_counterparty_ref), select=["Description"]
        )
    except OneCError as exc:
        log.info("payer name unavailable: %s", exc.log_text())
        return ""
    return row.get("Description", "")
