"""Existing 1C contracts of known clients appear in the yearly-contract library."""

from datetime import date

import pytest

from documents.library_sync import import_onec_contracts
from documents.models import Contract
from onec.models import LegalEntity
from onec.operations.counterparties import find_counterparty
from onec.operations.documents import find_or_create_contract
from onec.services import client_for_portal
from onec.sync import sync_reference_data
from sandbox import demo_data

VECTOR = next(c for c in demo_data.CLIENTS if c["key"] == "vector")


@pytest.fixture(params=["bp30", "ut11"])
def known_client(request, portal):
    request.getfixturevalue("onec_connection" if request.param == "bp30" else "onec_connection_ut")
    sync_reference_data(portal)
    connector = client_for_portal(portal)
    counterparty = find_counterparty(connector, VECTOR["inn"], VECTOR["kpp"])
    entity = LegalEntity.objects.get(portal=portal, inn=demo_data.LEGAL_ENTITIES[0]["inn"])
    made_by_app = find_or_create_contract(
        connector,
        counterparty=counterparty,
        organization_ref=str(entity.ref_key),
        number="П-2026/007",
        date=date(2026, 3, 1),
    )
    Contract.objects.create(
        portal=portal,
        number="П-2026/007",
        date=date(2026, 3, 1),
        legal_entity=entity,
        client_name=VECTOR["full_name"],
        client_inn=VECTOR["inn"],
        onec_ref_key=made_by_app.ref_key,
        onec_counterparty_ref=counterparty.ref_key,
    )
    return connector, counterparty, entity


def test_it_brings_a_known_clients_yearly_1c_contract_into_the_library(portal, known_client):
    connector, counterparty, entity = known_client
    signed_by_accountant = find_or_create_contract(
        connector,
        counterparty=counterparty,
        organization_ref=str(entity.ref_key),
        number="ГД-15",
        date=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )

    import_onec_contracts(portal, connector=connector)
    from_1c = Contract.objects.filter(portal=portal, source=Contract.Source.ONEC)
    # The demo base already holds one more contract of this client (Д-2026/001).
    assert sorted(from_1c.values_list("number", flat=True)) == ["ГД-15", "Д-2026/001"]
    imported = from_1c.get(number="ГД-15")
    assert (imported.kind, imported.legal_entity, imported.client_inn) == (
        "yearly",
        entity,
        VECTOR["inn"],
    )
    assert str(imported.onec_ref_key) == signed_by_accountant.ref_key

    import_onec_contracts(portal, connector=connector)
    assert Contract.objects.filter(portal=portal).count() == 3  # the app's one + two: no doubles


def test_it_imports_nothing_for_clients_the_app_does_not_know(portal, onec_connection):
    sync_reference_data(portal)
    assert import_onec_contracts(portal) == 0
    assert not Contract.objects.filter(portal=portal).exists()
