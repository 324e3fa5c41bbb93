"""The yearly-contract library: reads for managers and admins, and the hand-off to the wizard.

Everything is reached through the portal, so an id from another portal is simply not found.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Contract, ContractTemplate, GeneratedFile, Invoice

EXPIRING_DAYS = 30


class ContractStatus:
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    CHOICES = (
        (ACTIVE, _("Действует")),
        (EXPIRING, _("Истекает в течение 30 дней")),
        (EXPIRED, _("Истёк")),
    )
    LABELS = dict(CHOICES)


def today() -> dt.date:
    return timezone.localdate()


def contract_status(contract: Contract, *, on: dt.date | None = None) -> str:
    on = on or today()
    if contract.valid_until is None or contract.valid_until > on + dt.timedelta(EXPIRING_DAYS):
        return ContractStatus.ACTIVE
    if contract.valid_until < on:
        return ContractStatus.EXPIRED
    return ContractStatus.EXPIRING


def _library(portal) -> QuerySet[Contract]:
    """Yearly contracts made by the app, and every contract known from 1C."""
    return (
        Contract.objects.for_portal(portal)
        .filter(Q(kind=ContractTemplate.Kind.YEARLY) | Q(source=Contract.Source.ONEC))
        .select_related("legal_entity", "template_version__template")
    )


def _text_condition(q: str) -> Q:
    # SQLite folds only ASCII case in LIKE: try the usual spellings of a Cyrillic word too.
    variants = {q, q.lower(), q.upper(), q.capitalize(), q.title()}
    condition = Q()
    for v in variants:
        condition |= Q(client_name__icontains=v) | Q(number__icontains=v)
    return condition


def contracts_search(
    portal,
    *,
    q: str = "",
    legal_entity_id: int | None = None,
    year: int | None = None,
    status: str = "",
    on: dt.date | None = None,
    limit: int = 200,
) -> list[Contract]:
    on = on or today()
    qs = _library(portal).annotate(invoice_count=Count("invoices"))
    q = (q or "").strip()[:100]
    if q.isdigit():
        qs = qs.filter(Q(client_inn__startswith=q) | Q(number__icontains=q))
    elif q:
        qs = qs.filter(_text_condition(q))
    if legal_entity_id:
        qs = qs.filter(legal_entity_id=legal_entity_id)
    if year:
        qs = qs.filter(date__year=year)
    soon = on + dt.timedelta(EXPIRING_DAYS)
    if status == ContractStatus.EXPIRED:
        qs = qs.filter(valid_until__lt=on)
    elif status == ContractStatus.EXPIRING:
        qs = qs.filter(valid_until__gte=on, valid_until__lte=soon)
    elif status == ContractStatus.ACTIVE:
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=soon))
    contracts = list(qs.order_by("-date", "-id")[:limit])
    for contract in contracts:
        contract.status = contract_status(contract, on=on)
        contract.status_label = ContractStatus.LABELS[contract.status]
    return contracts


def contract_years(portal) -> list[int]:
    dates = _library(portal).dates("date", "year", order="DESC")
    return [d.year for d in dates]


def contract_get(portal, contract_id) -> Contract | None:
    contract = _library(portal).filter(pk=contract_id).first()
    if contract is not None:
        contract.status = contract_status(contract)
        contract.status_label = ContractStatus.LABELS[contract.status]
    return contract


def contract_invoices(contract: Contract) -> list[Invoice]:
    return list(
        Invoice.objects.for_portal(contract.portal_id)
        .filter(contract=contract)
        .order_by("-date", "-id")
    )


def contract_files(contract: Contract) -> list[GeneratedFile]:
    """The contract's own documents (DOCX/PDF, with and without stamp) from the job that made
    it; a contract known only from 1C has none."""
    return list(
        GeneratedFile.objects.for_portal(contract.portal_id)
        .filter(job__contract=contract, kind=GeneratedFile.Kind.CONTRACT)
        .order_by("format", "with_stamp")
    )


def contract_file_get(contract: Contract, file_id) -> GeneratedFile | None:
    return next((f for f in contract_files(contract) if str(f.pk) == str(file_id)), None)


def contracts_expiring(portal, *, on: dt.date | None = None) -> list[Contract]:
    """For the year-end banner: contracts ending within 30 days."""
    return contracts_search(portal, status=ContractStatus.EXPIRING, on=on)


@dataclass(frozen=True)
class ContractSuggestion:
    """What the wizard offers for a client: the current yearly contract, and whether a new one
    should be made because it ends soon (or already ended)."""

    contract: Contract | None
    suggest_new: bool


def contract_suggestion(
    portal, *, client_inn: str, legal_entity=None, on: dt.date | None = None
) -> ContractSuggestion:
    on = on or today()
    if not client_inn:
        return ContractSuggestion(None, False)
    qs = _library(portal).filter(client_inn=client_inn)
    if legal_entity is not None:
        qs = qs.filter(legal_entity=legal_entity)
    candidates = list(qs.order_by("-valid_until", "-date", "-id")[:20])
    live = [c for c in candidates if contract_status(c, on=on) != ContractStatus.EXPIRED]
    if not live:
        return ContractSuggestion(None, bool(candidates))
    best = live[0]
    return ContractSuggestion(best, contract_status(best, on=on) == ContractStatus.EXPIRING)


# ---- «Выставить счёт по договору»: the library hands the contract to the deal's wizard ---------


def contract_handoff(*, portal, user, deal_id: str, contract: Contract) -> None:
    """Preselect the contract in this manager's wizard draft for the deal: the «Документы» tab
    opens on it. Kept in the draft (the database), so it works with any number of web
    processes and survives until the manager gets to the deal."""
    from wizard.services import draft_preselect_contract

    if contract.portal_id != portal.pk:
        raise ValueError("contract of another portal")
    draft_preselect_contract(portal=portal, user=user, deal_id=str(deal_id), contract=contract)
