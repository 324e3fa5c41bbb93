"""Bitrix24's event calls to /b24/events/: authenticated by the application token."""

from b24app.models import Portal, PortalUser
from onec.models import OneCConnection


def _portal(sb):
    return Portal.objects.get(member_id=sb.member_id)


def test_it_stores_the_application_token_from_onappinstall(b24_installed):
    assert _portal(b24_installed).application_token == b24_installed.application_token


def test_it_refuses_an_uninstall_with_a_wrong_token_and_changes_nothing(b24_installed, b24_post):
    sb = b24_installed
    form = sb.event_form("ONAPPUNINSTALL", {"CLEAN": 1}, application_token="forged-token")
    response = b24_post("/b24/events/", None, form)
    assert response.status_code == 403
    portal = _portal(sb)
    assert portal.status == Portal.Status.ACTIVE
    assert PortalUser.objects.get(portal=portal, user_id=1).refresh_token


def test_it_refuses_an_event_without_a_token(b24_installed, b24_post):
    sb = b24_installed
    form = [(k, v) for k, v in sb.event_form("ONAPPUNINSTALL") if k != "auth[application_token]"]
    assert b24_post("/b24/events/", None, form).status_code == 401
    assert _portal(sb).status == Portal.Status.ACTIVE


def test_it_refuses_a_forged_onappinstall(b24_installed, b24_post):
    sb = b24_installed
    form = dict(sb.event_form("ONAPPINSTALL", application_token="attacker-token"))
    form["auth[access_token]"] = "0" * 64
    assert b24_post("/b24/events/", None, form).status_code == 403
    assert _portal(sb).application_token == sb.application_token


def test_it_wipes_tokens_on_uninstall(b24_installed, b24_post):
    sb = b24_installed
    response = b24_post("/b24/events/", None, sb.event_form("ONAPPUNINSTALL", {"CLEAN": 0}))
    assert response.status_code == 200
    portal = _portal(sb)
    assert portal.status == Portal.Status.UNINSTALLED
    user = PortalUser.objects.get(portal=portal, user_id=1)
    assert (user.access_token, user.refresh_token) == ("", "")


def test_it_deletes_the_tenant_data_on_uninstall_with_clean(
    b24_installed, b24_post, other_portal, django_capture_on_commit_callbacks
):
    sb = b24_installed
    portal = _portal(sb)
    OneCConnection.objects.create(portal=portal)
    OneCConnection.objects.create(portal=other_portal)
    PortalUser.objects.create(portal=other_portal, user_id=1, refresh_token="keep-me")
    with django_capture_on_commit_callbacks(execute=True):
        form = sb.event_form("ONAPPUNINSTALL", {"CLEAN": 1})
        response = b24_post("/b24/events/", None, form)
    assert response.status_code == 200
    assert not PortalUser.objects.filter(portal=portal).exists()
    assert not OneCConnection.objects.filter(portal=portal).exists()
    assert Portal.objects.get(pk=portal.pk).status == Portal.Status.UNINSTALLED
    # Another tenant's rows are untouched.
    assert OneCConnection.objects.filter(portal=other_portal).exists()
    assert PortalUser.objects.get(portal=other_portal).refresh_token == "keep-me"


def test_it_refuses_unreadable_bodies(b24_installed, b24_post):
    assert b24_post("/b24/events/", None, b"event=\xff&auth[member_id]=x").status_code == 400
    big = b"event=ONAPPUNINSTALL&pad=" + b"x" * 100_000
    assert b24_post("/b24/events/", None, big).status_code == 413
    assert _portal(b24_installed).status == Portal.Status.ACTIVE


def test_it_accepts_events_delivered_by_the_portal_over_http(
    b24_installed, live_server, settings, b24_post
):
    sb = b24_installed
    # Bind the handlers to the live server so the sandbox can reach us.
    settings.PUBLIC_BASE_URL = live_server.url
    query, form = sb.install_post("1")
    assert b24_post("/b24/install/", query, form).status_code == 200
    results = sb.deliver_events("ONAPPUNINSTALL", {"CLEAN": 0})
    assert [status for _, status in results] == [200]
    assert _portal(sb).status == Portal.Status.UNINSTALLED
