"""The pages Bitrix24 opens: installer, main page, deal tab, document-generator button, events.

Bitrix24's first request is a cross-site form POST (no CSRF cookie can exist), so these views are
csrf_exempt; the posted token is verified instead (b24app/entry.py).
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import entry, events
from .client import (
    B24AccessDenied,
    B24AuthError,
    B24Error,
    B24PortalGone,
    B24RateLimited,
    B24TransportError,
    B24UntrustedHost,
)
from .decorators import error_page
from .framing import allow_portal_framing
from .phpform import PhpFormError, parse_php_form
from .placement import BadPost, lang_of, parse_placement_post, read_body
from .selectors import portal_get_by_member_id

log = logging.getLogger("b24app")


def _failure(request: HttpRequest, exc: Exception, portal=None) -> HttpResponse:
    """Turn what went wrong into a clear page; the log gets the code, never the tokens."""
    if isinstance(exc, BadPost):
        return error_page(request, exc.message, exc.status, portal)
    if isinstance(exc, B24AccessDenied) and exc.code == "ACCESS_DENIED":
        message = _("REST API недоступен на тарифе портала: приложение не может работать.")
        return error_page(request, message, 403, portal)
    if isinstance(exc, B24AccessDenied):
        return error_page(request, _("Недостаточно прав в Битрикс24."), 403, portal)
    if isinstance(exc, B24AuthError | B24UntrustedHost | B24PortalGone):
        log.warning("entry refused: %s", exc.code)
        return error_page(
            request, _("Не удалось подтвердить вход. Откройте приложение заново."), 403
        )
    if isinstance(exc, B24RateLimited | B24TransportError):
        log.warning("bitrix24 unavailable: %s", exc.code)
        message = _("Битрикс24 сейчас не отвечает. Попробуйте через минуту.")
        return error_page(request, message, 503, portal)
    log.error("bitrix24 error: %s", getattr(exc, "code", type(exc).__name__))
    return error_page(request, _("Битрикс24 вернул ошибку. Попробуйте ещё раз."), 502, portal)


def _entry(request: HttpRequest, flow, template: str, *, default_placement: str):
    translation.activate(lang_of(request))
    request.LANGUAGE_CODE = translation.get_language()
    try:
        read_body(request)
    except BadPost as exc:
        return _failure(request, exc)
    try:
        post = parse_placement_post(request, default_placement=default_placement)
        opened = flow(post)
    except (BadPost, B24Error) as exc:
        # Looked up only on failure (an open finds its portal itself), so that even an error
        # page shows inside its portal.
        known = portal_get_by_member_id(request.POST.get("member_id", ""))
        return _failure(request, exc, known)
    context = {
        "portal": opened.portal,
        "b24_user": opened.user,
        "deal": opened.context,
        "tab_token": opened.token,
        "lang": post.lang,
    }
    if opened.context is not None:
        context.update(_wizard(request, opened))
    response = render(request, template, context)
    return allow_portal_framing(response, opened.portal)


def _wizard(request: HttpRequest, opened) -> dict:
    """The deal tab opens on the manager's draft for this deal, refreshed with what was just
    read from Bitrix24."""
    from wizard.context import wizard_context
    from wizard.services import draft_open

    draft = draft_open(portal=opened.portal, user=opened.user, context=opened.context)
    return {**wizard_context(request, draft), "deal": opened.context}


@csrf_exempt
@require_POST
def install(request: HttpRequest) -> HttpResponse:
    return _entry(request, entry.install, "b24app/install.html", default_placement="DEFAULT")


@csrf_exempt
@require_POST
def app(request: HttpRequest) -> HttpResponse:
    return _entry(request, entry.app_open, "b24app/app.html", default_placement="DEFAULT")


@csrf_exempt
@require_POST
def deal_tab(request: HttpRequest) -> HttpResponse:
    return _entry(
        request, entry.tab_open, "b24app/deal_tab.html", default_placement="CRM_DEAL_DETAIL_TAB"
    )


@csrf_exempt
@require_POST
def docgen_button(request: HttpRequest) -> HttpResponse:
    return _entry(
        request,
        entry.tab_open,
        "b24app/deal_tab.html",
        default_placement="CRM_DEAL_DOCUMENTGENERATOR_BUTTON",
    )


@csrf_exempt
@require_POST
def events_view(request: HttpRequest) -> HttpResponse:
    """Answer fast: Bitrix24 does not retry events, and waits for nobody."""
    try:
        body = read_body(request)
        form = parse_php_form(body)
        outcome = events.event_receive(form)
    except BadPost as exc:
        return JsonResponse(
            {"error": "bad_request", "message": str(exc.message)}, status=exc.status
        )
    except PhpFormError:
        return JsonResponse({"error": "bad_request"}, status=400)
    except events.EventRefused as exc:
        return JsonResponse({"error": "refused"}, status=exc.status)
    return JsonResponse({"result": outcome})
