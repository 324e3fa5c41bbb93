"""The app's main page and the preconditions later iframe requests go through."""

import re

from django.http import HttpResponse
from django.test import RequestFactory

from b24app import tab_session
from b24app.decorators import portal_admin_required, portal_session_required
from b24app.models import Portal, PortalUser


def _open_app(sb, b24_post, user_id, lang="ru"):
    query, form = sb.placement_post(user_id, "DEFAULT", None, lang)
    return b24_post("/b24/app/", query, form)


def _token(response) -> str:
    return re.search(r'"X-Tab-Token": "([^"]+)"', response.content.decode()).group(1)


def test_it_tells_admins_from_managers(b24_installed, b24_post):
    admin = _open_app(b24_installed, b24_post, "1")
    manager = _open_app(b24_installed, b24_post, "2")
    assert admin.status_code == manager.status_code == 200
    assert 'data-role="admin"' in admin.content.decode()
    assert 'data-role="manager"' in manager.content.decode()
    assert admin["Content-Security-Policy"].endswith(f"frame-ancestors {b24_installed.url}")


def test_it_speaks_english_when_asked(b24_installed, b24_post):
    html = _open_app(b24_installed, b24_post, "2", lang="en").content.decode()
    assert 'lang="en"' in html and "Manager" in html


def test_it_shows_that_the_portal_needs_reauthorization(b24_installed, b24_post):
    Portal.objects.filter(member_id=b24_installed.member_id).update(
        status=Portal.Status.NEEDS_REAUTH
    )
    html = _open_app(b24_installed, b24_post, "2").content.decode()
    assert 'data-testid="needs-reauth"' in html


def test_it_revives_the_portal_when_an_admin_opens_the_app_again(b24_installed, b24_post):
    Portal.objects.filter(member_id=b24_installed.member_id).update(
        status=Portal.Status.NEEDS_REAUTH
    )
    _open_app(b24_installed, b24_post, "1")
    assert Portal.objects.get(member_id=b24_installed.member_id).status == Portal.Status.ACTIVE


@portal_session_required
def _whoami(request):
    return HttpResponse(f"{request.portal.pk}:{request.b24_user.user_id}:{request.tab.lang}")


@portal_admin_required
def _admin_only(request):
    return HttpResponse("settings")


def _get(view, token=None):
    headers = {"HTTP_X_TAB_TOKEN": token} if token else {}
    return view(RequestFactory().get("/x/", **headers))


def test_it_lets_later_requests_in_with_the_tab_token(b24_installed, b24_post):
    token = _token(_open_app(b24_installed, b24_post, "2"))
    response = _get(_whoami, token)
    assert response.status_code == 200
    assert response.content.decode().endswith(":2:ru")
    assert response.frame_ancestors == b24_installed.url


def test_it_refuses_requests_without_a_valid_tab_token(b24_installed):
    assert _get(_whoami).status_code == 403
    assert _get(_whoami, "forged:token").status_code == 403


def test_it_keeps_manager_out_of_admin_views(b24_installed, b24_post):
    manager = _token(_open_app(b24_installed, b24_post, "2"))
    admin = _token(_open_app(b24_installed, b24_post, "1"))
    assert _get(_admin_only, manager).status_code == 403
    assert _get(_admin_only, admin).status_code == 200


def test_it_checks_the_admin_flag_on_the_server_each_time(b24_installed, b24_post):
    admin_token = _token(_open_app(b24_installed, b24_post, "1"))
    PortalUser.objects.filter(user_id=1).update(is_admin=False)
    assert _get(_admin_only, admin_token).status_code == 403


def test_it_refuses_tab_tokens_of_an_uninstalled_portal(b24_installed, b24_post):
    token = _token(_open_app(b24_installed, b24_post, "2"))
    Portal.objects.update(status=Portal.Status.UNINSTALLED)
    assert _get(_whoami, token).status_code == 403
    assert tab_session.read(token).user_id == 2
