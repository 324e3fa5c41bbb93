"""A manager walks the wizard in the deal card of the sandbox portal (browser, `make e2e`)."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _wizard(page):
    # The app lives in the deal card's iframe.
    return page.frame_locator("iframe").first


@pytest.mark.parametrize(
    ("deal_id", "manager_id", "rows"),
    [("1", 2, 3), ("2", 3, 2), ("3", 2, 1)],
    ids=["ooo", "ip", "person"],
)
def test_it_walks_the_wizard_to_generation(demo_stack, page, screenshot, deal_id, manager_id, rows):
    page.goto(demo_stack.deal_card_url(deal_id, manager_id))
    app = _wizard(page)
    wizard = app.locator('[data-testid="wizard"]')
    wizard.wait_for(timeout=20000)
    assert wizard.get_attribute("data-step") == "client"
    screenshot("1-client")
    app.get_by_role("button", name=re.compile("Далее")).click()
    app.locator('[data-step="contract"]').wait_for()
    app.locator('input[name="choice"]').first.check()
    screenshot("2-contract")
    app.get_by_role("button", name=re.compile("Далее")).click()
    app.locator('[data-step="terms"]').wait_for()
    screenshot("3-terms")
    app.get_by_role("button", name=re.compile("Далее")).click()
    app.locator('[data-step="goods"]').wait_for()
    assert app.locator('[data-testid="goods-row"]').count() == rows
    screenshot("4-goods")
    app.get_by_role("button", name=re.compile("Далее")).last.click()
    app.locator('[data-step="review"]').wait_for()
    screenshot("5-review")
    app.locator('[data-testid="submit"]').click()
    app.locator('[data-testid="job-started"], [data-testid="job-progress"]').first.wait_for()
    screenshot("6-submitted")
    # Reopened later, the tab lists what was made for the deal.
    page.goto(demo_stack.deal_card_url(deal_id, manager_id))
    _wizard(page).locator('[data-testid="job-history"] tr[data-status="done"]').wait_for()
    screenshot("7-history")


def test_it_shows_the_broken_requisites_checklist(demo_stack, page, screenshot):
    page.goto(demo_stack.deal_card_url(4, 2))
    app = _wizard(page)
    app.locator('[data-testid="requisite-problems"]').wait_for(timeout=20000)
    screenshot("checklist")
    assert app.locator(".wz-check--error").count() >= 4
    assert app.locator('[data-testid="fix-in-b24"]').count() == 1
