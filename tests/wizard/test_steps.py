import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from tests.wizard.helpers import goods_post, refresh, terms_post, walk_to

pytestmark = pytest.mark.django_db


def test_it_offers_templates_and_refuses_another_portals_template(
    wizard_open, wizard_world, other_portal, make_template
):
    foreign = make_template(other_portal)
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "contract")
    html = tab.call("get", "contract").content.decode()
    assert 'data-testid="templates-hint"' in html and "Москва" in html
    response = tab.call("post", "contract", {"choice": f"t:{foreign.pk}"})
    assert response.status_code == 400
    assert refresh(tab.draft).step == "contract"


def test_it_offers_a_valid_yearly_contract_of_this_client(wizard_open, wizard_world):
    from documents.models import Contract

    today = timezone.localdate()
    contract = Contract.objects.create(
        portal=wizard_world.portal,
        kind="yearly",
        number="Г-7",
        date=today - timedelta(days=30),
        valid_until=today + timedelta(days=200),
        legal_entity=wizard_world.entities["romashka"],
        client_name="Вектор",
        client_inn="5096030820",
    )
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "contract")
    response = tab.call("post", "contract", {"choice": f"c:{contract.pk}"})
    assert response.status_code == 200
    assert refresh(tab.draft).step == "terms"
    # Only an invoice is issued: no contract date asked.
    assert 'name="contract_date"' not in response.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"invoice_date": "2000-01-01"}, "invoice_date"),
        ({"due_date": "2000-01-01"}, "due_date"),
        ({"due_date": "not-a-date"}, "due_date"),
    ],
)
def test_it_rejects_bad_dates_and_changes_nothing(wizard_open, wizard_world, change, field):
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "terms")
    draft = refresh(tab.draft)
    revision = draft.revision
    response = tab.call("post", "terms", terms_post(**change))
    assert response.status_code == 200
    assert 'class="wz-error" id="id_' + field in response.content.decode()
    draft = refresh(tab.draft)
    assert (draft.step, draft.revision) == ("terms", revision)


def test_it_rejects_an_invoice_before_the_contract(wizard_open, wizard_world):
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "terms")
    today = timezone.localdate()
    data = terms_post(contract_date=today.isoformat(), invoice_date=str(today - timedelta(1)))
    response = tab.call("post", "terms", data)
    assert "Счёт не может быть раньше договора" in response.content.decode()
    assert refresh(tab.draft).step == "terms"


def test_it_defaults_dates_without_typing(wizard_open, wizard_world):
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "terms")
    html = tab.call("get", "terms").content.decode()
    today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in html
    assert f'value="{(today + timedelta(days=5)).isoformat()}"' in html


def test_it_matches_goods_and_flags_unmatched_and_deleted_items(wizard_open, wizard_world):
    wizard_world.items["RM-001"].deleted_in_1c = True
    wizard_world.items["RM-001"].save()
    tab = wizard_open("4")
    tab.call("get", "goods")
    html = tab.call("get", "goods").content.decode()
    assert html.count('data-testid="row-problem"') == 2
    assert "NO-1C-9" in html and "не найден в 1С" in html
    assert "помечен на удаление в 1С" in html
    response = tab.call("post", "goods", goods_post(refresh(tab.draft)))
    assert 'data-testid="goods-error"' in response.content.decode()
    assert refresh(tab.draft).step == "goods"


def test_it_computes_vat_per_row_and_sums_it(wizard_open, wizard_world):
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "goods")
    html = tab.call("get", "goods").content.decode()
    expected_vat = Decimal(0)
    expected_total = Decimal(0)
    for article, quantity in [("RM-001", 2), ("RM-002", 4), ("SRV-010", 1)]:
        amount = wizard_world.items[article].price * quantity
        vat = (amount * 22 / 122).quantize(Decimal("0.01"), ROUND_HALF_UP)
        expected_vat += vat
        expected_total += amount
        assert f'data-testid="row-vat">{vat}'.replace(".", ",") in html
    assert f'data-testid="total-vat">{expected_vat}'.replace(".", ",") in html
    assert f'data-testid="total">{expected_total:.2f}'.replace(".", ",") in html


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1.23456"])
def test_it_rejects_bad_quantities(wizard_open, wizard_world, quantity):
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "goods")
    draft = refresh(tab.draft)
    before = (draft.revision, draft.data.get("goods"))
    response = tab.call("post", "goods", goods_post(draft, q0=quantity))
    assert response.status_code == 200
    assert 'class="wz-error"' in response.content.decode()
    draft = refresh(tab.draft)
    assert (draft.revision, draft.data.get("goods"), draft.step) == (*before, "goods")


def test_it_keeps_1c_prices_unless_the_template_allows_editing(wizard_open, wizard_world):
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "goods")
    tab.call("post", "goods", goods_post(refresh(tab.draft), action="recalc", p0="1.00"))
    assert refresh(tab.draft).data["goods"]["rows"][0]["price"] == str(
        wizard_world.items["RM-001"].price
    )
    wizard_world.template.price_editable = True
    wizard_world.template.save()
    response = tab.call("post", "goods", goods_post(refresh(tab.draft), p0="10.005"))
    assert 'class="wz-error"' in response.content.decode()
    tab.call("post", "goods", goods_post(refresh(tab.draft), action="recalc", p0="10.50"))
    assert refresh(tab.draft).data["goods"]["rows"][0]["price"] == "10.50"


def test_it_searches_and_adds_catalog_items(wizard_open, wizard_world):
    tab = wizard_open("6")  # a deal without products
    walk_to(tab, wizard_world, "goods")
    html = tab.call("get", "goods/search", {"q": "кресло"}).content.decode()
    item = wizard_world.items["RM-002"]
    assert f"add:{item.ref_key}" in html
    assert "Стол офисный" not in html
    tab.call("post", "goods", goods_post(refresh(tab.draft), action=f"add:{item.ref_key}"))
    rows = refresh(tab.draft).data["goods"]["rows"]
    assert [r["ref"] for r in rows] == [str(item.ref_key)]


def test_it_refuses_to_add_another_portals_item(wizard_open, wizard_world, other_portal):
    from onec.models import Nomenclature

    foreign = Nomenclature.objects.create(portal=other_portal, ref_key=uuid.uuid4(), name="X")
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "goods")
    response = tab.call("post", "goods", goods_post(refresh(tab.draft), f"add:{foreign.ref_key}"))
    assert response.status_code == 400


def test_it_offers_only_goods_the_template_allows(wizard_open, wizard_world):
    wizard_world.template.services_only = True
    wizard_world.template.save()
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "goods")
    html = tab.call("get", "goods").content.decode()
    assert html.count("нельзя продавать по выбранному шаблону") == 2  # two furniture rows
    assert "Стол" not in tab.call("get", "goods/search", {"q": "стол"}).content.decode()


def test_it_submits_once_however_often_clicked(wizard_open, wizard_world):
    from documents.models import GenerationJob

    tab = wizard_open("1")
    walk_to(tab, wizard_world, "review")
    html = tab.call("get", "review").content.decode()
    assert 'data-ok="0"' not in html
    outputs = {"formats": ["pdf", "docx"], "stamps": ["with", "without"]}
    first = tab.call("post", "review", outputs)
    second = tab.call("post", "review", outputs)
    assert first.status_code == second.status_code == 200
    jobs = GenerationJob.objects.filter(portal=wizard_world.portal)
    assert jobs.count() == 1
    job = jobs.get()
    assert f'data-job-id="{job.pk}"' in first.content.decode()
    assert f'data-job-id="{job.pk}"' in second.content.decode()
    assert job.inputs["outputs"] == {"formats": ["pdf", "docx"], "stamp_variants": [True, False]}
    assert job.inputs["legal_entity_id"] == wizard_world.entities["romashka"].pk


def test_it_does_not_submit_an_unready_draft(wizard_open, wizard_world):
    from documents.models import GenerationJob

    tab = wizard_open("1")
    tab.call("get", "review")
    response = tab.call("post", "review", {"formats": ["pdf"], "stamps": ["with"]})
    assert 'data-testid="notice"' in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_it_keeps_entered_values_going_back_and_forth(wizard_open, wizard_world):
    tab = wizard_open("1")
    walk_to(tab, wizard_world, "goods")
    tab.call("post", "goods", goods_post(refresh(tab.draft), action="recalc", q0="7"))
    tab.call("get", "client")
    html = tab.call("get", "goods").content.decode()
    assert 'name="row-0-quantity" value="7"' in html
