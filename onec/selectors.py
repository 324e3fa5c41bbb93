"""Reads for the wizard and the settings page: only the app's cache, never 1C itself."""

from django.db.models import Q, QuerySet

from b24app.models import Portal

from .models import Employee, LegalEntity, Nomenclature, SyncStatus


def legal_entities(portal: Portal, *, include_deleted: bool = False) -> QuerySet[LegalEntity]:
    qs = LegalEntity.objects.for_portal(portal).prefetch_related("bank_accounts")
    if not include_deleted:
        qs = qs.filter(deleted_in_1c=False)
    return qs.order_by("name")


def legal_entity_by_inn(portal: Portal, inn: str, kpp: str = "") -> LegalEntity | None:
    qs = legal_entities(portal).filter(inn=inn)
    if kpp:
        qs = qs.filter(kpp=kpp)
    return qs.first()


def nomenclature_by_articles(portal: Portal, articles) -> dict[str, Nomenclature]:
    """Live items keyed by article; an article 1C does not know is simply absent."""
    wanted = {a.strip() for a in articles if a and a.strip()}
    if not wanted:
        return {}
    rows = (
        Nomenclature.objects.for_portal(portal)
        .filter(article__in=wanted, deleted_in_1c=False)
        .order_by("article", "pk")
    )
    result: dict[str, Nomenclature] = {}
    for row in rows:
        result.setdefault(row.article, row)
    return result


def search_nomenclature(
    portal: Portal, q: str, limit: int = 20, *, among: QuerySet | None = None
) -> list[Nomenclature]:
    """By article prefix or a word of the name, case-insensitively (SQLite and PostgreSQL),
    among live items of the portal or, narrower, `among` (e.g. what a template allows).

    SQLite's LIKE folds only ASCII case, so Cyrillic is matched on both spellings.
    """
    q = (q or "").strip()
    qs = among if among is not None else Nomenclature.objects.for_portal(portal)
    qs = qs.filter(portal=portal, deleted_in_1c=False)
    if q:
        variants = {q, q.lower(), q.upper(), q.capitalize()}
        condition = Q()
        for v in variants:
            condition |= Q(article__istartswith=v) | Q(name__icontains=v)
        qs = qs.filter(condition)
    return list(qs.order_by("name", "pk")[: max(1, min(limit, 100))])


def employee_by_email(portal: Portal, email: str) -> Employee | None:
    email = (email or "").strip()
    if not email:
        return None
    return Employee.objects.for_portal(portal).filter(email__iexact=email).order_by("pk").first()


def sync_status(portal: Portal, kind: str = SyncStatus.Kind.REFERENCE) -> SyncStatus | None:
    return SyncStatus.objects.for_portal(portal).filter(kind=kind).first()
