"""Installing the app on a portal: verified through OAuth, placements and events bound once."""

from b24app.models import Portal, PortalUser


def _bindings(sb):
    placements = sorted((p["placement"], p["handler"]) for p in sb.state.placements)
    events = sorted((e["event"], e["handler"]) for e in sb.state.events)
    return placements, events


def test_it_installs_and_binds_placements_and_events(b24_installed):
    sb = b24_installed
    placements, events = _bindings(sb)
    assert placements == [
        ("CRM_DEAL_DETAIL_TAB", "http://testserver/b24/deal-tab/"),
        ("CRM_DEAL_DOCUMENTGENERATOR_BUTTON", "http://testserver/b24/docgen-button/"),
    ]
    assert ("ONAPPUNINSTALL", "http://testserver/b24/events/") in events
    tab = next(p for p in sb.state.placements if p["placement"] == "CRM_DEAL_DETAIL_TAB")
    assert tab["langAll"]["en"]["TITLE"] == "Documents"
    assert tab["langAll"]["ru"]["TITLE"] == "Документы"
    portal = Portal.objects.get(member_id=sb.member_id)
    assert portal.client_endpoint == sb.client_endpoint
    assert portal.application_token == sb.application_token
    assert portal.license_family == "basic"
    admin = PortalUser.objects.get(portal=portal, user_id=1)
    assert admin.is_admin and admin.refresh_token


def test_it_answers_a_page_that_finishes_the_installation(b24_settings, b24_post, settings, db):
    settings.PUBLIC_BASE_URL = "http://testserver"
    query, form = b24_settings.install_post("1")
    response = b24_post("/b24/install/", query, form)
    assert response.status_code == 200
    assert b'data-b24-action="install-finish"' in response.content
    assert f'src="{settings.B24_JS_URL}"'.encode() in response.content
    assert response["Content-Security-Policy"].endswith(f"frame-ancestors {b24_settings.url}")
    assert "X-Frame-Options" not in response


def test_it_binds_once_even_after_reinstall(b24_installed, b24_post):
    sb = b24_installed
    before = _bindings(sb)
    for _ in range(2):
        query, form = sb.install_post("1")
        assert b24_post("/b24/install/", query, form).status_code == 200
    assert _bindings(sb) == before
    assert Portal.objects.filter(member_id=sb.member_id).count() == 1


def test_it_refuses_a_forged_install(b24_settings, b24_post, db):
    sb = b24_settings
    query, form = sb.install_post("1")
    form["REFRESH_ID"] = "f" * 64
    form["AUTH_ID"] = "a" * 64
    response = b24_post("/b24/install/", query, form)
    assert response.status_code == 403
    assert not Portal.objects.exists()
    assert sb.state.placements == []


def test_it_refuses_an_install_by_a_non_admin(b24_settings, b24_post, settings, db):
    settings.PUBLIC_BASE_URL = "http://testserver"
    query, form = b24_settings.install_post("2")
    response = b24_post("/b24/install/", query, form)
    assert response.status_code == 403
    assert b24_settings.state.placements == []
