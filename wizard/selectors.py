"""Reads for the wizard: drafts, and what the admin's configuration allows for this deal.

Every id that arrives from the browser is resolved through a queryset scoped to the portal and
to the choices offered, so an id from another portal (or one not offered) is simply not found.
"""

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from b24app.models import Portal, PortalUser
from documents.models import Contract, ContractTemplate, PortalSettings, Region
from onec.models import LegalEntity, Nomenclature
from onec.selectors import legal_entities, legal_entity_by_inn

from .models import WizardDraft

BUSY_WINDOW = timedelta(minutes=30)


def draft_get(*, portal: Portal, user: PortalUser, deal_id: str) -> WizardDraft | None:
    draft = WizardDraft.objects.for_portal(portal).filter(deal_id=deal_id, user=user).first()
    if draft is not None:
        # The caller holds both already: reading them through the draft must not query again.
        draft.portal, draft.user = portal, user
    return draft


def other_managers_busy(draft: WizardDraft) -> list[PortalUser]:
    """Other managers whose draft of the same deal changed within the last 30 minutes."""
    since = timezone.now() - BUSY_WINDOW
    drafts = (
        WizardDraft.objects.for_portal(draft.portal)
        .filter(deal_id=draft.deal_id, updated_at__gte=since)
        .exclude(user=draft.user)
        .select_related("user")
        .order_by("-updated_at")
    )
    return [d.user for d in drafts]


def regions(portal: Portal) -> QuerySet[Region]:
    return Region.objects.for_portal(portal).order_by("name")


def region_for_departments(portal: Portal, department_ids, *, among=None) -> Region | None:
    """The admin maps Bitrix24 departments to regions; the first region that lists one wins.

    `among`: the portal's regions when the caller has them loaded already."""
    wanted = {str(d) for d in department_ids or []}
    if not wanted:
        return None
    for region in regions(portal) if among is None else among:
        if wanted & {str(d) for d in region.department_ids or []}:
            return region
    return None


def legal_entities_offered(portal: Portal) -> QuerySet[LegalEntity]:
    """Every live 1C organization of the portal, with the bank accounts the wizard shows."""
    return legal_entities(portal).select_related("default_bank_account")


def region_legal_entity_ids(region: Region) -> set[int]:
    """The legal entities a region is limited to; empty: no limit (a fresh install must work
    before the admin configures regions)."""
    return set(region.legal_entities.values_list("pk", flat=True))


def legal_entity_for_party(portal: Portal, party) -> LegalEntity | None:
    """Our requisite linked to the deal, as a 1C organization (matched by INN, then KPP)."""
    if party is None or not party.inn:
        return None
    return legal_entity_by_inn(portal, party.inn, party.kpp) or legal_entity_by_inn(
        portal, party.inn
    )


def templates_for(
    portal: Portal, *, region: Region | None, legal_entity: LegalEntity | None, client_kind: str
) -> list[ContractTemplate]:
    """Active templates with a current version for region × legal entity × client kind.

    An empty regions / legal-entities list on a template means "any" (as in the admin's form);
    a manager outside every region sees only such templates.
    """
    qs = ContractTemplate.objects.for_portal(portal).filter(
        is_active=True, current_version__isnull=False
    )
    if region is not None:
        qs = qs.filter(Q(regions=region) | Q(regions__isnull=True))
    else:
        qs = qs.filter(regions__isnull=True)
    if legal_entity is not None:
        qs = qs.filter(Q(legal_entities=legal_entity) | Q(legal_entities__isnull=True))
    # JSON containment is not portable to SQLite: filter the (few) templates in Python.
    return [t for t in qs.distinct().order_by("name") if client_kind in (t.client_kinds or [])]


def yearly_contracts_for(
    portal: Portal, *, client_inn: str, legal_entity: LegalEntity | None, on: date
) -> QuerySet[Contract]:
    if not client_inn or legal_entity is None:
        return Contract.objects.none()
    return Contract.objects.for_portal(portal).filter(
        kind=ContractTemplate.Kind.YEARLY,
        client_inn=client_inn,
        legal_entity=legal_entity,
        valid_until__gte=on,
    )


def allowed_goods(portal: Portal, template: ContractTemplate | None) -> QuerySet[Nomenclature]:
    """Live 1C items the template allows (its nomenclature groups, services only)."""
    qs = Nomenclature.objects.for_portal(portal).filter(deleted_in_1c=False)
    if template is not None:
        if template.goods_group_refs:
            qs = qs.filter(group_ref_key__in=template.goods_group_refs)
        if template.services_only:
            qs = qs.filter(is_service=True)
    return qs


def allowed_refs(portal: Portal, template: ContractTemplate | None, refs) -> set[str]:
    """Which of `refs` the template allows: asked for the draft's rows only, never by loading
    the whole catalog's refs."""
    refs = [r for r in refs if r]
    if not refs:
        return set()
    allowed = allowed_goods(portal, template).filter(ref_key__in=refs)
    return {str(r) for r in allowed.values_list("ref_key", flat=True)}


def nomenclature_by_articles_any(portal: Portal, articles) -> dict[str, Nomenclature]:
    """Items by article including those deleted in 1C (a live one wins), so the goods step can
    say "deleted in 1C" instead of "unknown article"."""
    wanted = {a.strip() for a in articles if a and a.strip()}
    result: dict[str, Nomenclature] = {}
    rows = (
        Nomenclature.objects.for_portal(portal)
        .filter(article__in=wanted)
        .order_by("deleted_in_1c", "pk")
    )
    for row in rows:
        result.setdefault(row.article, row)
    return result


def nomenclature_by_refs(portal: Portal, refs) -> dict[str, Nomenclature]:
    refs = [r for r in refs if r]
    rows = Nomenclature.objects.for_portal(portal).filter(ref_key__in=refs)
    return {str(n.ref_key): n for n in rows}


def dadata_token(portal: Portal) -> str:
    from django.conf import settings

    own = PortalSettings.objects.filter(portal=portal).first()
    return (own.dadata_token if own else "") or getattr(settings, "DADATA_TOKEN", "")
