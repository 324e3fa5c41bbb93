"""Browser test of the admin's settings and the contract library, inside the sandbox portal.

Sandbox users (sandbox/demo_data.py): 1 admin; 2 Анна, «Отдел продаж Москва» (department 2);
3 Олег, «Отдел продаж Санкт-Петербург» (department 3). Needs the lead's `demo_stack` fixture.
"""

import datetime as dt

import pytest

from documents.rendering.sample_template import build_sample_contract_template

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ADMIN, MOSCOW_MANAGER, SPB_MANAGER = 1, 2, 3


@pytest.fixture
def stack(installed_stack):
    return installed_stack


def _app(page):
    return page.frame_locator("iframe").first


def test_it_offers_an_uploaded_template_only_in_its_region(stack, page, tmp_path, screenshot):
    docx = tmp_path / "yearly.docx"
    docx.write_bytes(build_sample_contract_template())

    page.goto(stack.app_page_url(ADMIN))
    app = _app(page)
    app.get_by_role("link", name="Регионы").click()
    form = app.locator("[data-testid=region-form]")
    form.get_by_label("Название").fill("Москва")
    form.get_by_label("Подразделения Битрикс24").select_option(label="Отдел продаж Москва")
    form.get_by_role("button", name="Сохранить").click()
    app.get_by_text("Регион сохранён.").wait_for()
    screenshot("regions")

    app.get_by_test_id("tab-templates").click()
    app.get_by_test_id("template-new").click()
    form = app.locator("[data-testid=template-form]")
    form.get_by_label("Название").fill("Годовой договор Москва")
    form.get_by_label("Вид договора").select_option("yearly")
    form.get_by_label("Регионы").select_option(label="Москва")
    form.get_by_role("button", name="Сохранить").click()
    app.get_by_text("Шаблон сохранён.").wait_for()
    app.locator("[data-testid=upload-form] input[type=file]").set_input_files(str(docx))
    app.get_by_role("button", name="Загрузить новую версию").click()
    app.get_by_text("Загружена версия 1.").wait_for()
    screenshot("template-uploaded")

    page.goto(stack.deal_card_url(1, MOSCOW_MANAGER))
    wizard = _app(page)
    wizard.get_by_role("button", name="Далее").click()
    wizard.get_by_text("Годовой договор Москва").first.wait_for()
    screenshot("moscow-manager-contract-step")

    page.goto(stack.deal_card_url(1, SPB_MANAGER))
    wizard = _app(page)
    wizard.get_by_role("button", name="Далее").click()
    wizard.get_by_test_id("templates-hint").wait_for()
    screenshot("spb-manager-contract-step")
    assert wizard.get_by_text("Годовой договор Москва").count() == 0


def test_it_finds_a_contract_by_inn_and_issues_an_invoice_under_it(stack, page, screenshot):
    from documents.models import Contract
    from onec.models import LegalEntity
    from sandbox import demo_data

    ours = demo_data.LEGAL_ENTITIES[0]  # deal 1's my-company requisite
    vector = next(c for c in demo_data.CLIENTS if c["key"] == "vector")  # deal 1's client
    portal_entity = LegalEntity.objects.get(portal=stack.portal, inn=ours["inn"])
    contract = Contract.objects.create(
        portal_id=portal_entity.portal_id,
        kind="yearly",
        number="Г-2026-001",
        date=dt.date.today(),
        valid_until=dt.date.today() + dt.timedelta(days=300),
        legal_entity=portal_entity,
        client_name="ООО «Вектор»",
        client_inn=vector["inn"],
    )

    page.goto(stack.app_page_url(MOSCOW_MANAGER))
    app = _app(page)
    # A manager's main page is the library.
    app.get_by_label("Клиент или ИНН").fill(vector["inn"])
    app.get_by_role("button", name="Найти").click()
    screenshot("library")
    app.get_by_text(f"№ {contract.number}").click()
    app.get_by_test_id("issue-form").wait_for()
    screenshot("contract")
    app.get_by_label("ID сделки").fill("1")
    app.get_by_role("button", name="Выставить счёт по договору").click()
    # The app asks the portal to open the deal card (BX24.openPath).
    page.wait_for_url("**/crm/deal/details/1/**")

    page.goto(stack.deal_card_url(1, MOSCOW_MANAGER))
    wizard = _app(page)
    wizard.get_by_text(contract.number).first.wait_for()
    assert wizard.get_by_label(contract.number, exact=False).first.is_checked()
