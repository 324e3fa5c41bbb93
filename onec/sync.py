"""Refresh the app's cache of 1C reference data (organizations, goods, users) for one portal.

Rows are upserted by `ref_key`; what disappeared from 1C (or got deletion-marked) is flagged
`deleted_in_1c`, never deleted, because drafts and documents point to it. The admin-maintained
fields of a legal entity (signatory, authority basis, stamp and signatures, invoice source) are
never overwritten; the signatory is only pre-filled from 1C while empty.
"""

import logging
import uuid

from django.db import transaction
from django.utils import timezone

from b24app.models import Portal

from . import operations
from .connector import Connector
from .errors import OneCError
from .models import Employee, LegalEntity, Nomenclature, OrgBankAccount, SyncStatus
from .operations.types import Organization
from .services import client_for_portal

log = logging.getLogger("onec.sync")

_NOMENCLATURE_FIELDS = [
    "article",
    "name",
    "unit",
    "unit_ref_key",
    "price",
    "vat_rate",
    "is_service",
    "group_name",
    "group_ref_key",
    "deleted_in_1c",
    "synced_at",
]


def sync_reference_data(portal: Portal, *, connector: Connector | None = None) -> dict:
    """Read organizations, nomenclature and users from 1C into the cache; returns counts.

    A 1C failure is recorded on SyncStatus (the settings page shows it) and re-raised, so the
    task can decide on a retry from `error.retryable`.
    """
    status, _ = SyncStatus.objects.get_or_create(portal=portal, kind=SyncStatus.Kind.REFERENCE)
    status.last_started_at = timezone.now()
    status.save(update_fields=["last_started_at"])
    try:
        c = connector or client_for_portal(portal)
        organizations = operations.list_organizations(c, include_deleted=True)
        items = operations.list_nomenclature(c)
        users = operations.list_users(c)
    except OneCError as exc:
        log.warning("reference sync failed portal=%s: %s", portal.pk, exc.log_text())
        status.last_error = exc.message_for_user
        status.last_error_at = timezone.now()
        status.save(update_fields=["last_error", "last_error_at"])
        raise
    now = timezone.now()
    with transaction.atomic():
        counts = {
            "legal_entities": _sync_organizations(portal, organizations, now),
            "nomenclature": _sync_nomenclature(portal, items, now),
            "employees": _sync_users(portal, users, now),
        }
        status.last_success_at = now
        status.last_error = ""
        status.counts = counts
        status.save(update_fields=["last_success_at", "last_error", "counts"])
    log.info("reference sync portal=%s counts=%s", portal.pk, counts)
    return counts


def _sync_organizations(portal: Portal, organizations: list[Organization], now) -> int:
    seen = set()
    for org in organizations:
        ref = uuid.UUID(org.ref_key)
        seen.add(ref)
        entity = LegalEntity.objects.filter(portal=portal, ref_key=ref).first() or LegalEntity(
            portal=portal, ref_key=ref
        )
        entity.name = org.name[:250]
        entity.full_name = org.full_name[:250]
        entity.inn = org.inn
        entity.kpp = org.kpp
        entity.ogrn = org.ogrn
        entity.address = org.address[:500]
        entity.is_sole_trader = org.is_sole_trader
        entity.deleted_in_1c = org.deleted
        entity.synced_at = now
        head = org.signatory("Руководитель")
        if head and not entity.signatory_name:
            entity.signatory_name = head.name
            entity.signatory_title = entity.signatory_title or head.title
        if org.is_sole_trader and not entity.signatory_name:
            entity.signatory_name = org.full_name.removeprefix(
                "Индивидуальный предприниматель"
            ).strip()
            entity.signatory_title = entity.signatory_title or "Индивидуальный предприниматель"
        accountant = org.signatory("ГлавныйБухгалтер")
        if accountant and not entity.accountant_name:
            entity.accountant_name = accountant.name
        entity.save()
        accounts = {}
        for account in org.accounts:
            row, _ = OrgBankAccount.objects.update_or_create(
                portal=portal,
                ref_key=uuid.UUID(account.ref_key),
                defaults={
                    "legal_entity": entity,
                    "account": account.account[:20],
                    "bik": account.bik[:9],
                    "bank_name": account.bank_name[:250],
                    "corr_account": account.corr_account[:20],
                    "bank_city": account.bank_city[:100],
                },
            )
            accounts[account.ref_key] = row
        if entity.default_bank_account_id is None and accounts:
            entity.default_bank_account = accounts.get(org.main_account_ref) or next(
                iter(accounts.values())
            )
            entity.save(update_fields=["default_bank_account"])
    LegalEntity.objects.for_portal(portal).exclude(ref_key__in=seen).update(deleted_in_1c=True)
    return len(organizations)


def _sync_nomenclature(portal: Portal, items, now) -> int:
    existing = {row.ref_key: row for row in Nomenclature.objects.for_portal(portal)}
    to_create, to_update, seen = [], [], set()
    for item in items:
        ref = uuid.UUID(item.ref_key)
        seen.add(ref)
        values = {
            "article": item.article[:25],
            "name": item.name[:1000],
            "unit": item.unit[:50],
            "unit_ref_key": uuid.UUID(item.unit_ref_key) if item.unit_ref_key else None,
            "price": item.price,
            "vat_rate": item.vat_rate.value,
            "is_service": item.is_service,
            "group_name": item.group_name[:250],
            "group_ref_key": uuid.UUID(item.group_ref_key) if item.group_ref_key else None,
            "deleted_in_1c": item.deleted,
            "synced_at": now,
        }
        row = existing.get(ref)
        if row is None:
            to_create.append(Nomenclature(portal=portal, ref_key=ref, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    Nomenclature.objects.bulk_create(to_create, batch_size=500)
    Nomenclature.objects.bulk_update(to_update, _NOMENCLATURE_FIELDS, batch_size=500)
    Nomenclature.objects.for_portal(portal).exclude(ref_key__in=seen).update(deleted_in_1c=True)
    return len(items)


def _sync_users(portal: Portal, users, now) -> int:
    for user in users:
        Employee.objects.update_or_create(
            portal=portal,
            ref_key=uuid.UUID(user.ref_key),
            defaults={"name": user.name[:255], "email": user.email[:254], "synced_at": now},
        )
    return len(users)
