import uuid
from decimal import Decimal

import pytest

from onec.models import Employee, Nomenclature
from onec.sync import sync_reference_data


@pytest.fixture
def with_1c_catalog(backsync):
    portal = backsync[2]
    sync_reference_data(portal)
    return backsync


def _articles(b24):
    return [p["property106"]["value"] for p in b24.state.catalog.values() if "property106" in p]


def test_it_pushes_the_catalog_twice_without_duplicates(with_1c_catalog):
    from documents.backsync.tasks import push_catalog

    b24, _onec, portal, _ = with_1c_catalog
    Nomenclature.objects.create(
        portal=portal, ref_key=uuid.uuid4(), article="NEW-77", name="Новинка", price=Decimal("99")
    )
    before = len(b24.state.catalog)

    first = push_catalog.delay(portal.pk).get()
    second = push_catalog.delay(portal.pk).get()

    assert first["created"] == 1 and second["created"] == 0
    assert len(b24.state.catalog) == before + 1
    assert _articles(b24).count("NEW-77") == 1
    new = next(p for p in b24.state.catalog.values() if p["name"] == "Новинка")
    assert Decimal(new["_price"]) == Decimal("99")


def test_it_updates_a_changed_price_by_article(with_1c_catalog):
    from documents.backsync.catalog_push import push_catalog

    b24, _onec, portal, _ = with_1c_catalog
    item = Nomenclature.objects.get(portal=portal, article="RM-001")
    item.price = Decimal("54321.00")
    item.save()

    counts = push_catalog(portal)

    product = next(p for p in b24.state.catalog.values() if p["property106"]["value"] == "RM-001")
    assert Decimal(product["_price"]) == Decimal("54321.00")
    assert counts["prices_updated"] >= 1


def test_it_matches_bitrix24_users_to_1c_users_by_email(with_1c_catalog):
    from documents.backsync.employees import employee_for_user
    from documents.backsync.status import sync_overview
    from documents.backsync.tasks import match_employees

    _b24, _onec, portal, _ = with_1c_catalog

    match_employees.delay(portal.pk).get()

    assert employee_for_user(portal, 2).email == "smirnova@romashka.test"
    assert employee_for_user(portal, 3).email == "kuznetsov@romashka.test"
    assert Employee.objects.filter(portal=portal, b24_user_id__isnull=False).count() == 2
    unmatched = {u["id"] for u in sync_overview(portal).unmatched_users}
    assert unmatched == {1, 4}  # the admin has no 1C user; user 4 has no e-mail


def test_it_shows_admins_the_last_error_and_the_unmatched_users(backsync, make_invoice, poll):
    from django.template.loader import render_to_string

    from documents.backsync.employees import match_employees
    from documents.backsync.status import sync_overview

    _b24, onec, portal, _ = backsync
    make_invoice("100.00")
    onec.knobs.down = True
    poll()
    match_employees(portal)

    html = render_to_string("documents/backsync/status.html", {"overview": sync_overview(portal)})

    from onec.models import SyncStatus

    error = SyncStatus.objects.get(portal=portal, kind="payments").last_error
    assert error and error in html and "ещё не было" in html
    assert "нет e-mail" in html  # user 4 has no e-mail
