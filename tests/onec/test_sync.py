import uuid
from decimal import Decimal

import pytest

from onec import selectors
from onec.errors import OneCUnavailable
from onec.models import Employee, LegalEntity, Nomenclature, SyncStatus
from onec.sync import sync_reference_data
from onec.tasks import refresh_all_reference_data, refresh_reference_data
from sandbox.demo_data import LEGAL_ENTITIES, ONEC_USERS, PRODUCTS

ROMASHKA_INN = LEGAL_ENTITIES[0]["inn"]


@pytest.mark.parametrize("fixture", ["onec_connection", "onec_connection_ut"])
def test_it_fills_the_cache_the_wizard_reads(request, portal, fixture):
    request.getfixturevalue(fixture)
    counts = sync_reference_data(portal)
    assert counts["legal_entities"] == len(LEGAL_ENTITIES)
    entities = list(selectors.legal_entities(portal))
    assert {e.inn for e in entities} == {e["inn"] for e in LEGAL_ENTITIES}
    romashka = selectors.legal_entity_by_inn(portal, ROMASHKA_INN)
    assert romashka.signatory_name == "Смирнов Алексей Викторович"
    assert romashka.accountant_name == "Орлова Мария Сергеевна"
    assert romashka.default_bank_account.account == LEGAL_ENTITIES[0]["bank"]["account"]
    items = selectors.nomenclature_by_articles(portal, ["RM-003", "OLD-1", "NO-1C-9"])
    assert set(items) == {"RM-003"}
    assert items["RM-003"].price == Decimal("4999.99")
    assert items["RM-003"].group_name == "Мебель"
    assert Nomenclature.objects.get(portal=portal, article="OLD-1").deleted_in_1c
    assert (
        selectors.employee_by_email(portal, ONEC_USERS[0]["email"].upper()).name
        == (ONEC_USERS[0]["name"])
    )
    status = SyncStatus.objects.get(portal=portal, kind=SyncStatus.Kind.REFERENCE)
    assert status.last_success_at and status.counts == counts


def test_it_never_overwrites_what_the_admin_maintains(portal, onec_connection):
    sync_reference_data(portal)
    entity = selectors.legal_entity_by_inn(portal, ROMASHKA_INN)
    entity.signatory_name = "Петров Пётр Петрович"
    entity.authority_basis = "Доверенности № 5 от 01.01.2026"
    entity.invoice_source = LegalEntity.InvoiceSource.APP
    entity.name = "испорчено"
    entity.save()
    sync_reference_data(portal)
    entity.refresh_from_db()
    assert entity.signatory_name == "Петров Пётр Петрович"
    assert entity.authority_basis == "Доверенности № 5 от 01.01.2026"
    assert entity.invoice_source == LegalEntity.InvoiceSource.APP
    assert entity.name == LEGAL_ENTITIES[0]["short_name"]


def test_it_marks_rows_gone_from_1c_instead_of_deleting_them(portal, onec_connection):
    ghost = LegalEntity.objects.create(portal=portal, ref_key=uuid.uuid4(), name="Старая фирма")
    sync_reference_data(portal)
    ghost.refresh_from_db()
    assert ghost.deleted_in_1c
    assert ghost not in selectors.legal_entities(portal)


def test_it_searches_nomenclature_by_article_or_cyrillic_word(portal, onec_connection):
    sync_reference_data(portal)
    by_word = [n.article for n in selectors.search_nomenclature(portal, "кресло")]
    assert by_word == ["RM-002"]
    by_article = {n.article for n in selectors.search_nomenclature(portal, "rm-")}
    assert by_article == {p["article"] for p in PRODUCTS if p["article"].startswith("RM-")}
    assert len(selectors.search_nomenclature(portal, "", limit=2)) == 2


def test_it_keeps_the_cache_and_records_the_error_when_1c_is_down(
    portal, onec_sandbox, onec_connection
):
    sync_reference_data(portal)
    onec_sandbox.knobs.down = True
    with pytest.raises(OneCUnavailable):
        sync_reference_data(portal)
    status = SyncStatus.objects.get(portal=portal, kind=SyncStatus.Kind.REFERENCE)
    assert "недоступна" in status.last_error
    assert selectors.legal_entities(portal).count() == len(LEGAL_ENTITIES)


def test_it_refreshes_every_connected_portal_from_the_beat_task(
    portal, other_portal, onec_connection
):
    assert refresh_all_reference_data.delay().get() == 1
    assert LegalEntity.objects.for_portal(portal).count() == len(LEGAL_ENTITIES)
    emails = set(Employee.objects.for_portal(portal).values_list("email", flat=True))
    assert {u["email"] for u in ONEC_USERS} <= emails
    assert not LegalEntity.objects.for_portal(other_portal).exists()
    assert refresh_reference_data.delay(other_portal.pk).get() is None
