"""Preconditions of views inside the portal's iframe (healthchecks style: small decorators)."""

from functools import wraps

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from . import selectors, tab_session
from .framing import allow_portal_framing


def error_page(request, message, status: int, portal=None):
    response = render(request, "b24app/error.html", {"message": message}, status=status)
    return allow_portal_framing(response, portal)


def portal_session_required(view):
    """The request carries a valid `X-Tab-Token`: sets request.portal, .b24_user, .tab."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.headers.get(tab_session.HEADER) or request.POST.get("tab_token", "")
        try:
            tab = tab_session.read(token)
        except tab_session.TabSessionInvalid:
            return error_page(request, _("Сеанс истёк. Откройте вкладку заново."), 403)
        user = selectors.portal_user_get_active(portal_id=tab.portal_id, user_id=tab.user_id)
        if user is None:
            return error_page(request, _("Приложение не установлено на портале."), 403)
        portal = user.portal
        translation.activate(tab.lang)
        request.LANGUAGE_CODE = tab.lang
        request.portal, request.b24_user, request.tab = portal, user, tab
        response = view(request, *args, **kwargs)
        return allow_portal_framing(response, portal)

    return wrapper


def portal_admin_required(view):
    """Only the portal's admins (flag refreshed from `user.admin` whenever the app opens)."""

    @portal_session_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.b24_user.is_admin:
            return error_page(
                request, _("Это может сделать только администратор портала."), 403, request.portal
            )
        return view(request, *args, **kwargs)

    return wrapper
