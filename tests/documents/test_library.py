"""The yearly-contract library: search, status, invoices, isolation, hand-off to the wizard."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest

from documents import library
from documents.models import Contract, Invoice
from tests.documents import test_settings_views as shared
from wizard.models import WizardDraft

# The admin/manager tab-session fixtures, shared with the settings view tests.
admin, as_admin, as_manager, fake_directory, manager = (
    shared.admin,
    shared.as_admin,
    shared.as_manager,
    shared.fake_directory,
    shared.manager,
)

TODAY = dt.date.today()


@pytest.fixture
def entity(portal, make_legal_entity):
    return make_legal_entity(portal)


def _contract(portal, entity, **fields):
    defaults = {
        "kind": "yearly",
        "number": "Г-001",
        "date": TODAY - dt.timedelta(days=100),
        "valid_until": TODAY + dt.timedelta(days=200),
        "legal_entity": entity,
        "client_name": "ООО «Вектор»",
        "client_inn": "7707083893",
    }
    return Contract.objects.create(portal=portal, **(defaults | fields))


def test_it_finds_a_contract_by_inn_and_by_client_name(client, as_manager, portal, entity):
    wanted = _contract(portal, entity)
    _contract(portal, entity, number="Г-002", client_name="ИП Орлов", client_inn="500100732259")
    by_inn = client.get("/documents/library/", {"q": "77070"}, **as_manager)
    assert by_inn.status_code == 200
    assert "Г-001" in by_inn.content.decode() and "Г-002" not in by_inn.content.decode()
    by_name = library.contracts_search(portal, q="вектор")
    assert [c.pk for c in by_name] == [wanted.pk]


def test_it_filters_by_status_year_and_legal_entity(portal, entity, make_legal_entity):
    active = _contract(portal, entity)
    expiring = _contract(portal, entity, number="E", valid_until=TODAY + dt.timedelta(days=10))
    expired = _contract(portal, entity, number="X", valid_until=TODAY - dt.timedelta(days=1))
    other = make_legal_entity(portal, inn="7728168971", name="ООО «Лютик»")
    old = _contract(portal, other, number="O", date=dt.date(2020, 3, 1), valid_until=None)

    def pks(**filters):
        return {c.pk for c in library.contracts_search(portal, **filters)}

    assert pks(status="active") == {active.pk, old.pk}
    assert pks(status="expiring") == {expiring.pk}
    assert pks(status="expired") == {expired.pk}
    assert pks(year=2020) == {old.pk}
    assert pks(legal_entity_id=other.pk) == {old.pk}
    assert [c.pk for c in library.contracts_expiring(portal)] == [expiring.pk]


def test_it_leaves_one_off_app_contracts_out_and_keeps_1c_ones(portal, entity):
    _contract(portal, entity, kind="one_off", number="RAZ")
    from_1c = _contract(portal, entity, kind="one_off", source="1c", number="1C-7")
    assert [c.pk for c in library.contracts_search(portal)] == [from_1c.pk]


def test_it_shows_invoices_with_payment_status(client, as_manager, portal, entity):
    contract = _contract(portal, entity)
    Invoice.objects.create(
        portal=portal,
        contract=contract,
        deal_id="12",
        legal_entity=entity,
        onec_entity_set="Document_СчетНаОплатуПокупателю",
        onec_ref_key=uuid.uuid4(),
        number="0000-000045",
        date=TODAY,
        total=Decimal("1000.00"),
        payment_status=Invoice.PaymentStatus.PAID,
        paid_amount=Decimal("1000.00"),
    )
    response = client.get(f"/documents/library/{contract.pk}/", **as_manager)
    body = response.content.decode()
    assert response.status_code == 200
    assert "0000-000045" in body and "Оплачен" in body


def test_it_hides_other_portals_contracts(client, as_manager, other_portal, make_legal_entity):
    foreign = _contract(other_portal, make_legal_entity(other_portal))
    assert client.get(f"/documents/library/{foreign.pk}/", **as_manager).status_code == 404
    listing = client.get("/documents/library/", {"q": "7707083893"}, **as_manager)
    assert "Г-001" not in listing.content.decode()
    response = client.post(
        f"/documents/library/{foreign.pk}/issue/", {"deal_id": "5"}, **as_manager
    )
    assert response.status_code == 404


def test_it_hands_the_contract_to_the_wizard_of_the_chosen_deal(
    client, as_manager, portal, manager, entity
):
    contract = _contract(portal, entity)
    response = client.post(
        f"/documents/library/{contract.pk}/issue/", {"deal_id": "42"}, **as_manager
    )
    assert response.status_code == 200
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["docs1c:open-path"]["path"] == "/crm/deal/details/42/"
    draft = WizardDraft.objects.get(portal=portal, user=manager, deal_id="42")
    assert draft.step == "contract"
    assert draft.data["contract"]["choice"] == f"c:{contract.pk}"
    assert draft.data["client"]["legal_entity_id"] == entity.pk


def test_it_refuses_a_deal_id_that_is_not_a_number(client, as_manager, portal, manager, entity):
    contract = _contract(portal, entity)
    response = client.post(
        f"/documents/library/{contract.pk}/issue/", {"deal_id": "1; DROP"}, **as_manager
    )
    assert response.status_code == 400
    assert not WizardDraft.objects.filter(portal=portal).exists()


def test_it_suggests_a_new_contract_when_the_current_one_ends_soon(portal, entity):
    _contract(portal, entity, valid_until=TODAY + dt.timedelta(days=5))
    suggestion = library.contract_suggestion(portal, client_inn="7707083893")
    assert suggestion.contract is not None and suggestion.suggest_new
    fresh = library.contract_suggestion(
        portal, client_inn="7707083893", on=TODAY - dt.timedelta(days=60)
    )
    assert fresh.contract is not None and not fresh.suggest_new
    assert library.contract_suggestion(portal, client_inn="500100732259").contract is None
