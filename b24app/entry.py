"""Verified entry into the app: Bitrix24's first POST (install, main page, placements) and its
event calls. Anyone can forge these; nothing is stored before the token has proved itself.

- Known member_id: the posted AUTH_ID must work on the STORED portal's endpoint (never on the
  posted DOMAIN); the same one `batch` that reads the page's data is that proof.
- Install or unknown member_id: the OAuth server (settings.B24_OAUTH_URL) is asked with the
  posted REFRESH_ID; its answer names the portal authoritatively.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import selectors, services, tab_session
from .client import B24AuthError, B24Client, oauth
from .client.client import client_with_posted_tokens
from .client.tokens import PostedTokens
from .deal_context import DealContext
from .deal_reader import DealNotFound, deal_context_commands, parse_deal_context
from .models import Portal, PortalUser
from .placement import BadPost, PlacementPost, require_deal_id
from .product_articles import fill_product_articles
from .tasks import refresh_product_articles

log = logging.getLogger("b24app")

# Only what the app acts on: every bound event is a request from the portal to us. «устарел»
# needs no deal-update event: it compares a job's inputs with the deal read when the tab opens.
EVENTS = ("ONAPPUNINSTALL",)
PLACEMENTS = {
    "CRM_DEAL_DETAIL_TAB": ("b24:deal_tab", "Документы", "Documents"),
    "CRM_DEAL_DOCUMENTGENERATOR_BUTTON": (
        "b24:docgen_button",
        "Документы из 1С",
        "Documents from 1C",
    ),
}


@dataclass
class Opened:
    portal: Portal
    user: PortalUser
    token: str
    context: DealContext | None = None


def _verify_unknown(post: PlacementPost) -> tuple[Portal, PostedTokens, "oauth.OAuthGrant"]:
    """Ask the OAuth server who this is; it must name the posted member_id."""
    if not post.refresh_id:
        raise B24AuthError("no refresh token to verify with", "no_refresh_token")
    grant = oauth.refresh(post.refresh_id)
    if grant.member_id != post.member_id:
        log.warning("post for member %s verified as %s: refused", post.member_id, grant.member_id)
        raise B24AuthError("the token belongs to another portal", "member_mismatch")
    portal = services.portal_upsert_verified(grant=grant, lang=post.lang)
    return portal, PostedTokens(grant.access_token, grant.refresh_token), grant


def _client(post: PlacementPost) -> B24Client:
    """A client that proves the posted token with its first call. An unknown or uninstalled
    portal is verified through the OAuth server first (an open after reinstall revives it)."""
    portal = selectors.portal_get_by_member_id(post.member_id)
    if portal is not None and portal.status != Portal.Status.UNINSTALLED:
        return client_with_posted_tokens(portal, post.auth_id, post.refresh_id)
    portal, tokens, _grant = _verify_unknown(post)
    return B24Client(portal, tokens, renew_expired=False)


def _store_user(client: B24Client, results: dict, lang: str) -> PortalUser:
    profile = results.get("user") if isinstance(results.get("user"), dict) else {}
    try:
        user_id = int(profile.get("ID") or 0)
    except (TypeError, ValueError):
        user_id = 0
    if not user_id:
        raise B24AuthError("user.current did not answer", "no_user")
    is_admin = results.get("admin") in (True, "true", "Y", 1, "1")
    with transaction.atomic():
        services.portal_activate(portal=client.portal, lang=lang, by_admin=is_admin)
        return services.portal_user_store(
            portal=client.portal,
            user_id=user_id,
            access_token=client.tokens.access_token,
            refresh_token=client.tokens.refresh_token,
            profile=profile,
            is_admin=is_admin,
        )


def _run(client: B24Client, cmds: dict) -> tuple[dict, dict]:
    results, errors = client.batch(cmds)
    if "user" in errors:
        # A batch answers 200 even if sub-calls fail; no user.current means no proof.
        raise B24AuthError("user.current failed", "no_user")
    return results, errors


def tab_open(post: PlacementPost) -> Opened:
    """Deal tab / document-generator button: verify, read the deal (ONE request), remember."""
    deal_id = require_deal_id(post)
    client = _client(post)
    results, errors = _run(client, deal_context_commands(deal_id))
    user = _store_user(client, results, post.lang)
    try:
        context = parse_deal_context(deal_id, results, errors)
    except DealNotFound as exc:
        raise BadPost(_("Сделка не найдена или у вас нет к ней доступа."), 404) from exc
    # Later requests read the context from the wizard's draft (wizard.services.draft_open).
    fill_product_articles(client, context)
    token = tab_session.issue(
        tab_session.TabSession(
            portal_id=client.portal.pk,
            user_id=user.user_id,
            deal_id=deal_id,
            lang=post.lang,
            placement=post.placement,
        )
    )
    return Opened(client.portal, user, token, context)


def app_open(post: PlacementPost) -> Opened:
    """The main page (PLACEMENT=DEFAULT): who is this, and are they an admin."""
    client = _client(post)
    results, _errors = _run(client, {"user": ("user.current", {}), "admin": ("user.admin", {})})
    user = _store_user(client, results, post.lang)
    token = tab_session.issue(
        tab_session.TabSession(client.portal.pk, user.user_id, "", post.lang, post.placement)
    )
    return Opened(client.portal, user, token)


def install(post: PlacementPost) -> Opened:
    """The installer: verify through OAuth, upsert the portal, (re)bind placements and events.

    Bitrix24 drops handlers on app update, so every install re-binds: unbind ours, then bind,
    in the same single batch (no duplicates however often it runs). An app only ever sees and
    unbinds its own handlers, so unbinding by placement/event name touches nobody else's."""
    portal, tokens, grant = _verify_unknown(post)
    client = B24Client(portal, tokens, renew_expired=False)
    base = settings.PUBLIC_BASE_URL
    from django.urls import reverse

    cmds: dict = {
        "user": ("user.current", {}),
        "admin": ("user.admin", {}),
        "app": ("app.info", {}),
    }
    for code, (url_name, title_ru, title_en) in PLACEMENTS.items():
        handler = base + reverse(url_name)
        # Unbind without HANDLER: also drops bindings to an old PUBLIC_BASE_URL.
        cmds[f"unbind_{code}"] = ("placement.unbind", {"PLACEMENT": code})
        cmds[f"bind_{code}"] = (
            "placement.bind",
            {
                "PLACEMENT": code,
                "HANDLER": handler,
                "TITLE": title_ru,
                "LANG_ALL": {
                    "ru": {"TITLE": title_ru, "DESCRIPTION": "Договор и счёт из 1С"},
                    "en": {"TITLE": title_en, "DESCRIPTION": "Contract and invoice from 1C"},
                },
            },
        )
    handler = base + reverse("b24:events")
    for event in EVENTS:
        cmds[f"unbind_{event}"] = ("event.unbind", {"event": event})
        cmds[f"bind_{event}"] = ("event.bind", {"event": event, "handler": handler})
    results, errors = _run(client, cmds)
    if results.get("admin") not in (True, "true", "Y", 1, "1"):
        raise BadPost(_("Установить приложение может только администратор портала."), 403)
    failed = sorted(k for k in errors if k.startswith("bind_"))
    if failed:
        log.error("portal %s: binding failed for %s", portal.member_id, failed)
        raise BadPost(_("Не удалось подключить приложение к карточке сделки."), 502)
    user = _store_user(client, results, post.lang)
    app = results.get("app") if isinstance(results.get("app"), dict) else {}
    fields = []
    if app.get("LICENSE_FAMILY"):
        portal.license_family = str(app["LICENSE_FAMILY"])[:32]
        fields.append("license_family")
    if post.application_token and not portal.application_token:
        # The install POST is now verified; ONAPPINSTALL will confirm or replace this.
        portal.application_token = post.application_token
        fields.append("application_token")
    if fields:
        portal.save(update_fields=[*fields, "updated_at"])
    token = tab_session.issue(
        tab_session.TabSession(portal.pk, user.user_id, "", post.lang, "INSTALL")
    )
    log.info("portal %s installed by user %s (grant %r)", portal.member_id, user.user_id, grant)
    portal_id, user_id = portal.pk, user.user_id
    transaction.on_commit(lambda: refresh_product_articles.delay(portal_id, user_id))
    return Opened(portal, user, token)
