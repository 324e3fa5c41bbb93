"""A bug shows a page with an incident id (and logs the traceback under it), never a traceback."""

import logging

import pytest
from django.urls import path

from b24app import tab_session
from b24app.decorators import portal_session_required


@portal_session_required
def broken_view(request):
    raise RuntimeError("secret internals: token=abc")


def broken_page(request):
    raise RuntimeError("a bug outside the portal frame")


urlpatterns = [path("broken/", broken_view), path("broken-page/", broken_page)]
handler500 = "b24app.errors_views.server_error"


@pytest.fixture
def broken(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_it_shows_an_incident_id_inside_the_portal_frame(client, portal, broken, caplog):
    from b24app.models import PortalUser

    user = PortalUser.objects.create(portal=portal, user_id=2)
    token = tab_session.issue(tab_session.TabSession(portal.pk, user.user_id, "1", "ru", "TAB"))
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="b24app.incident"):
        response = client.get("/broken/", HTTP_X_TAB_TOKEN=token)
    incident = response["X-Incident-Id"]
    html = response.content.decode()
    assert response.status_code == 500
    assert incident in html and "Traceback" not in html and "secret internals" not in html
    assert response["Content-Security-Policy"].endswith(f"frame-ancestors {portal.origin}")
    record = next(r for r in caplog.records if incident in r.getMessage())
    assert record.exc_info is not None  # the traceback is in the log, under the same id


def test_it_lets_nobody_frame_the_page_when_the_portal_is_unknown(client, broken, db):
    client.raise_request_exception = False
    response = client.get("/broken-page/", HTTP_X_TAB_TOKEN="forged")
    assert response.status_code == 500 and response["X-Incident-Id"]
    assert response["Content-Security-Policy"].endswith("frame-ancestors 'none'")
