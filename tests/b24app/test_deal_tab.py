"""Opening the «Документы» tab in a deal card."""

import logging
import re

from b24app import tab_session
from b24app.models import Portal, PortalUser
from sandbox import demo_data


def _client_of(deal_id: str) -> dict:
    deal = next(d for d in demo_data.DEALS if d["id"] == deal_id)
    return next(c for c in demo_data.CLIENTS if c["key"] == deal["client"])


def test_it_shows_the_deal_client_and_inn_after_one_rest_request(b24_open_tab):
    response = b24_open_tab(user_id="2", deal_id="1")
    assert response.status_code == 200
    html = response.content.decode()
    client = _client_of("1")
    assert "Мебель для офиса Вектор" in html
    assert client["inn"] in html
    assert re.search(r'data-testid="client-name">[^<]*\S', html)


def test_it_reads_the_context_in_exactly_one_request(b24_installed, b24_open_tab):
    b24_installed.reset_stats()
    response = b24_open_tab(user_id="2", deal_id="2")
    assert response.status_code == 200
    assert b24_installed.stats.rest_requests == 1
    assert _client_of("2")["inn"] in response.content.decode()


def test_it_hands_the_page_a_tab_token_and_frames_for_the_portal_only(b24_installed, b24_open_tab):
    response = b24_open_tab(user_id="2", deal_id="1", lang="en")
    html = response.content.decode()
    token = re.search(r"hx-headers='\{\"X-Tab-Token\": \"([^\"]+)\"\}'", html).group(1)
    tab = tab_session.read(token)
    assert (tab.deal_id, tab.user_id, tab.lang) == ("1", 2, "en")
    assert response["Content-Security-Policy"].endswith(f"frame-ancestors {b24_installed.url}")
    assert "X-Frame-Options" not in response
    assert 'lang="en"' in html


def test_it_stores_the_user_and_their_admin_flag(b24_installed, b24_open_tab):
    b24_open_tab(user_id="2", deal_id="1")
    manager = PortalUser.objects.get(portal=b24_installed.portal, user_id=2)
    assert not manager.is_admin and manager.refresh_token and manager.name


def test_it_answers_the_docgen_button_the_same_way(b24_open_tab):
    response = b24_open_tab(user_id="2", deal_id="1", placement="CRM_DEAL_DOCUMENTGENERATOR_BUTTON")
    assert response.status_code == 200
    assert "Мебель для офиса Вектор" in response.content.decode()


def test_it_refuses_bad_placement_options_with_a_clear_page(b24_installed, b24_post):
    sb = b24_installed
    query, form = sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    form["PLACEMENT_OPTIONS"] = '{"ID": "1"'
    sb.reset_stats()
    response = b24_post("/b24/deal-tab/", query, form)
    assert response.status_code == 400
    assert "повреждённые параметры" in response.content.decode()
    assert response["Content-Security-Policy"].endswith(f"frame-ancestors {sb.url}")
    assert sb.stats.rest_requests == 0


def test_it_refuses_a_forged_auth_id_and_changes_nothing(b24_installed, b24_post):
    sb = b24_installed
    query, form = sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    form["AUTH_ID"] = "0" * 64
    response = b24_post("/b24/deal-tab/", query, form)
    assert response.status_code == 403
    assert "Не удалось подтвердить" in response.content.decode()
    assert not PortalUser.objects.filter(user_id=2).exists()


def test_it_refuses_an_expired_auth_id(b24_installed, b24_post):
    sb = b24_installed
    query, form = sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    sb.expire_access_tokens()
    response = b24_post("/b24/deal-tab/", query, form)
    assert response.status_code == 403
    assert not PortalUser.objects.filter(user_id=2).exists()


def test_it_never_trusts_the_posted_domain_for_a_known_portal(b24_installed, b24_post):
    sb = b24_installed
    query, form = sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    query["DOMAIN"] = "evil.example.test"
    response = b24_post("/b24/deal-tab/", query, form)
    assert response.status_code == 200
    assert Portal.objects.get(pk=sb.portal.pk).client_endpoint == sb.client_endpoint


def test_it_refuses_an_unknown_member_id_it_cannot_verify(b24_settings, b24_post, db):
    query, form = b24_settings.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    form["member_id"] = "unknown-member"
    response = b24_post("/b24/deal-tab/", query, form)
    assert response.status_code == 403
    assert not Portal.objects.exists()


def test_it_verifies_an_unknown_portal_through_the_oauth_server(b24_settings, b24_post, db):
    query, form = b24_settings.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    response = b24_post("/b24/deal-tab/", query, form)
    assert response.status_code == 200
    portal = Portal.objects.get()
    assert portal.client_endpoint == b24_settings.client_endpoint
    assert b24_settings.stats.refresh_calls == 1


def test_it_explains_when_rest_is_off_on_the_plan(b24_installed, b24_open_tab):
    b24_installed.set_rest_enabled(False)
    response = b24_open_tab(user_id="2", deal_id="1")
    assert response.status_code == 403
    assert "REST API недоступен" in response.content.decode()


def test_it_answers_404_for_a_deal_that_does_not_exist(b24_open_tab):
    response = b24_open_tab(user_id="2", deal_id="9999")
    assert response.status_code == 404
    assert "Сделка не найдена" in response.content.decode()


def test_it_refuses_oversized_and_non_utf8_bodies(b24_installed, b24_post):
    sb = b24_installed
    query, form = sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    big = b24_post("/b24/deal-tab/", query, {**form, "PADDING": "x" * 100_000})
    assert big.status_code == 413
    garbled = b24_post("/b24/deal-tab/", query, b"member_id=\xff\xfe&AUTH_ID=\xc3")
    assert garbled.status_code == 400
    assert not PortalUser.objects.filter(user_id=2).exists()


def test_it_answers_in_english_when_bitrix24_says_so(b24_installed, b24_post):
    query, form = b24_installed.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"}, "en")
    form["PLACEMENT_OPTIONS"] = "not json"
    response = b24_post("/b24/deal-tab/", query, form)
    assert response.status_code == 400
    assert 'lang="en"' in response.content.decode()


def test_it_keeps_tokens_out_of_the_logs(b24_settings, b24_post, settings, caplog, db):
    caplog.set_level(logging.DEBUG)
    settings.PUBLIC_BASE_URL = "http://testserver"
    sb = b24_settings
    query, form = sb.install_post("1")
    b24_post("/b24/install/", query, form)
    query2, form2 = sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"})
    b24_post("/b24/deal-tab/", query2, form2)
    user = PortalUser.objects.get(user_id=2)
    secrets = [
        form["AUTH_ID"],
        form["REFRESH_ID"],
        form2["AUTH_ID"],
        form2["REFRESH_ID"],
        user.refresh_token,
        sb.application_token,
        settings.B24_CLIENT_SECRET,
    ]
    # The sandbox logs like the foreign portal it stands for; only our own lines count.
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("sandbox"))
    assert "oauth refresh ok" in ours
    for secret in secrets:
        assert secret not in ours


def test_it_gives_product_rows_their_catalog_articles(b24_installed, b24_open_tab):
    from wizard.models import WizardDraft
    from wizard.snapshot import context_from_json

    b24_open_tab(user_id="2", deal_id="1")
    portal = Portal.objects.get(member_id=b24_installed.member_id)
    draft = WizardDraft.objects.get(portal=portal, deal_id="1", user__user_id=2)
    context = context_from_json(draft.data["context"])
    deal = next(d for d in demo_data.DEALS if d["id"] == "1")
    assert [p.article for p in context.products] == [article for article, _qty in deal["rows"]]


def test_it_asks_bitrix24_only_about_products_it_has_not_seen(b24_installed, b24_open_tab):
    from b24app.models import ProductArticle

    ProductArticle.objects.all().delete()  # as if the catalog grew after install
    b24_installed.reset_stats()
    b24_open_tab(user_id="2", deal_id="1")
    first = b24_installed.stats.rest_requests
    b24_installed.reset_stats()
    b24_open_tab(user_id="2", deal_id="1")
    assert (first, b24_installed.stats.rest_requests) == (2, 1)
