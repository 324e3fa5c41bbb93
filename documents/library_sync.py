"""Existing 1C contracts of known clients into the yearly-contract library.

"Known" clients are counterparties the app has made contracts for: their other sales contracts in
1C (signed before the app, or by the accountant) are shown next to the app's own, so a manager
reuses them instead of asking for a new one.
"""

import uuid
from datetime import timedelta

from django.db import transaction

from onec.models import LegalEntity
from onec.operations.documents import sales_contracts_of
from onec.services import client_for_portal

from .models import Contract, ContractTemplate

# A contract running about a year or longer is a yearly one.
YEARLY_MIN_DAYS = 300


def import_onec_contracts(portal, *, connector=None) -> int:
    """Upsert Contract(source=1c) rows; returns how many were created or updated."""
    connector = connector or client_for_portal(portal)
    entities = {str(e.ref_key): e for e in LegalEntity.objects.for_portal(portal)}
    known_refs = set(
        Contract.objects.for_portal(portal)
        .exclude(onec_ref_key=None)
        .values_list("onec_ref_key", flat=True)
    )
    clients = {}
    for row in (
        Contract.objects.for_portal(portal)
        .filter(source=Contract.Source.APP)
        .exclude(onec_counterparty_ref=None)
        .order_by("-date")
        .values("onec_counterparty_ref", "client_name", "client_inn", "client_kpp", "client_kind")
    ):
        clients.setdefault(str(row["onec_counterparty_ref"]), row)
    changed = 0
    for counterparty_ref, client in clients.items():
        for found in sales_contracts_of(connector, counterparty_ref):
            entity = entities.get(found.organization_ref)
            if entity is None or found.date is None or uuid.UUID(found.ref_key) in known_refs:
                continue
            yearly = found.valid_until and found.valid_until - found.date >= timedelta(
                days=YEARLY_MIN_DAYS
            )
            with transaction.atomic():
                Contract.objects.update_or_create(
                    portal=portal,
                    onec_ref_key=found.ref_key,
                    defaults={
                        "source": Contract.Source.ONEC,
                        "kind": ContractTemplate.Kind.YEARLY
                        if yearly
                        else ContractTemplate.Kind.ONE_OFF,
                        "number": found.number or found.name,
                        "date": found.date,
                        "valid_until": found.valid_until,
                        "legal_entity": entity,
                        "client_name": client["client_name"],
                        "client_inn": client["client_inn"],
                        "client_kpp": client["client_kpp"],
                        "client_kind": client["client_kind"],
                        "onec_counterparty_ref": counterparty_ref,
                    },
                )
            changed += 1
    return changed
