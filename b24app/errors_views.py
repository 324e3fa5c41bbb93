"""What a person sees when the app itself breaks: a page with an incident id, never a
traceback. The id is in the log next to the traceback, so support can find it."""

import logging
import uuid

from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors, tab_session
from .framing import allow_portal_framing

log = logging.getLogger("b24app.incident")


def _portal_of(request):
    """The portal whose iframe made the request, if it can be told (to frame the page)."""
    token = request.headers.get(tab_session.HEADER, "")
    try:
        return selectors.portal_get_active(tab_session.read(token).portal_id)
    except tab_session.TabSessionInvalid:
        pass
    member_id = request.POST.get("member_id", "") if request.method == "POST" else ""
    return selectors.portal_get_by_member_id(member_id) if member_id else None


def server_error(request):
    incident = uuid.uuid4().hex[:10]
    log.error("incident %s: %s %s", incident, request.method, request.path, exc_info=True)
    try:
        portal = _portal_of(request)
    except Exception:  # the database may be what broke
        portal = None
    message = _(
        "Что-то пошло не так на нашей стороне. Мы уже знаем об этом; "
        "попробуйте ещё раз, а если не получится — сообщите код %(incident)s."
    ) % {"incident": incident}
    response = render(request, "b24app/error.html", {"message": message}, status=500)
    response["X-Incident-Id"] = incident
    return allow_portal_framing(response, portal)
