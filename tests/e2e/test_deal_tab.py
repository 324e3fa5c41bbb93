"""A manager opens a deal in the portal and sees our «Документы» tab for that deal."""

from sandbox import demo_data


def test_it_shows_the_deal_title_client_and_inn_in_the_deal_card(demo_stack, page, screenshot):
    page.goto(demo_stack.deal_card_url(1, user_id=2))
    frame = page.frame_locator("#app-frame")
    vector = next(c for c in demo_data.CLIENTS if c["key"] == "vector")
    frame.get_by_text("Мебель для офиса Вектор").first.wait_for()
    frame.get_by_text(vector["inn"]).first.wait_for()
    screenshot("deal-tab")


def test_it_installs_through_the_portal_installer(demo_stack):
    placements = {b["placement"] for b in demo_stack.b24.state.placements}
    assert {"CRM_DEAL_DETAIL_TAB", "CRM_DEAL_DOCUMENTGENERATOR_BUTTON"} <= placements
    assert demo_stack.b24.state.install_finished
