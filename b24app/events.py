"""Bitrix24 event calls to /b24/events/ (form-encoded, PHP bracket keys).

Every event carries `auth[application_token]`; it is compared in constant time with the stored
one. ONAPPINSTALL is the exception that *sets* it, so it must prove itself another way: its
access token must work on the stored portal (app.info), or, for a portal we don't know yet, its
refresh token must be accepted by the OAuth server for that member_id.
"""

import logging

from . import selectors, services
from .client import B24Client, B24Error, oauth
from .client.tokens import PostedTokens
from .models import Portal

log = logging.getLogger("b24app")


class EventRefused(Exception):
    def __init__(self, reason: str, status: int = 403):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def event_receive(form: dict) -> str:
    """Handle one event; returns what was done. Light work only: heavy work is enqueued."""
    event = str(form.get("event") or "").upper()
    auth = form.get("auth") if isinstance(form.get("auth"), dict) else {}
    data = form.get("data") if isinstance(form.get("data"), dict) else {}
    member_id = str(auth.get("member_id") or "")
    presented = str(auth.get("application_token") or "")
    if not event or not member_id:
        raise EventRefused("missing event or auth", 401)
    portal = selectors.portal_get_by_member_id(member_id)

    if event == "ONAPPINSTALL":
        return _on_install(portal, auth, presented)

    if portal is None or not services.application_token_matches(portal, presented):
        log.warning("event %s for member %s refused: bad application token", event, member_id)
        raise EventRefused("bad application token", 403 if presented else 401)

    if event == "ONAPPUNINSTALL":
        clean = str(data.get("CLEAN") or "0") in ("1", "Y", "true")
        services.portal_uninstall(portal=portal, clean=clean)
        return "uninstalled"
    return "ignored"


def _on_install(portal: Portal | None, auth: dict, presented: str) -> str:
    if not presented:
        raise EventRefused("no application token", 401)
    if portal is not None and services.application_token_matches(portal, presented):
        return "install-known"
    access = str(auth.get("access_token") or "")
    refresh = str(auth.get("refresh_token") or "")
    try:
        if portal is not None:
            # The token must work on the endpoint we already trust for this member_id.
            client = B24Client(portal, PostedTokens(access), renew_expired=False)
            client.call("app.info")
        else:
            grant = oauth.refresh(refresh)
            if grant.member_id != str(auth.get("member_id")):
                raise EventRefused("token of another portal")
            portal = services.portal_upsert_verified(grant=grant)
            if grant.user_id:
                services.portal_user_store(
                    portal=portal,
                    user_id=grant.user_id,
                    access_token=grant.access_token,
                    refresh_token=grant.refresh_token,
                    expires_in=grant.expires_in,
                )
    except B24Error as exc:
        log.warning("ONAPPINSTALL for member %s refused: %s", auth.get("member_id"), exc.code)
        raise EventRefused("unverified install event") from exc
    portal.application_token = presented
    portal.save(update_fields=["application_token", "updated_at"])
    services.portal_activate(portal=portal)
    log.info("portal %s: application token stored", portal.member_id)
    return "install"
