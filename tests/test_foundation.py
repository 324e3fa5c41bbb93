"""The foundation a new developer relies on: settings, secrets at rest, tenancy, framing."""

from django.db import connection

from b24app.models import Portal, PortalUser


def test_it_encrypts_tokens_at_rest(portal):
    PortalUser.objects.create(
        portal=portal, user_id=1, access_token="acc-secret", refresh_token="ref-secret"
    )
    with connection.cursor() as cur:
        cur.execute("SELECT access_token, refresh_token FROM b24app_portaluser")
        raw_access, raw_refresh = cur.fetchone()
    assert "acc-secret" not in raw_access and "ref-secret" not in raw_refresh
    user = PortalUser.objects.get(portal=portal, user_id=1)
    assert (user.access_token, user.refresh_token) == ("acc-secret", "ref-secret")


def test_it_encrypts_the_application_token(portal):
    with connection.cursor() as cur:
        cur.execute("SELECT application_token FROM b24app_portal WHERE id = %s", [portal.pk])
        (raw,) = cur.fetchone()
    assert raw != "app-token-a"
    assert Portal.objects.get(pk=portal.pk).application_token == "app-token-a"


def test_it_scopes_rows_to_their_portal(portal, other_portal):
    PortalUser.objects.create(portal=portal, user_id=1)
    PortalUser.objects.create(portal=other_portal, user_id=1)
    assert list(PortalUser.objects.for_portal(portal).values_list("portal_id", flat=True)) == [
        portal.pk
    ]


def test_it_forbids_framing_of_ordinary_pages(client):
    response = client.get("/admin/login/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
