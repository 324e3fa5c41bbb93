"""State changes of portals and their users: install, users' tokens, uninstall, re-auth."""

import hmac
import logging
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import ForeignKey, ProtectedError, RestrictedError
from django.utils import timezone

from .models import Portal, PortalUser

log = logging.getLogger("b24app")


def portal_upsert_verified(*, grant, lang: str = "ru") -> Portal:
    """Create or update a portal from an OAuth server answer (the only trusted source of a
    portal's endpoint). Re-installing revives an uninstalled portal."""
    portal, created = Portal.objects.get_or_create(
        member_id=grant.member_id,
        defaults={
            "domain": grant.domain,
            "client_endpoint": grant.client_endpoint,
            "server_endpoint": grant.server_endpoint,
            "lang": lang,
        },
    )
    if not created:
        portal.domain = grant.domain
        portal.client_endpoint = grant.client_endpoint
        portal.server_endpoint = grant.server_endpoint or portal.server_endpoint
        portal.save(update_fields=["domain", "client_endpoint", "server_endpoint", "updated_at"])
    log.info("portal %s verified through OAuth (created=%s)", portal.member_id, created)
    return portal


def portal_activate(*, portal: Portal, lang: str | None = None, by_admin: bool = True) -> None:
    """A verified open: the portal is live. NEEDS_REAUTH is cleared only by an admin's open,
    since admins are the ones asked to re-authorize."""
    fields = []
    revive = portal.status == Portal.Status.UNINSTALLED or (
        portal.status == Portal.Status.NEEDS_REAUTH and by_admin
    )
    if revive:
        portal.status = Portal.Status.ACTIVE
        portal.uninstalled_at = None
        fields += ["status", "uninstalled_at"]
    if lang and portal.lang != lang:
        portal.lang = lang
        fields.append("lang")
    if fields:
        portal.save(update_fields=[*fields, "updated_at"])


def portal_user_store(
    *,
    portal: Portal,
    user_id: int,
    access_token: str,
    refresh_token: str,
    expires_in: int = 3600,
    profile: dict | None = None,
    is_admin: bool | None = None,
) -> PortalUser:
    """Save a verified user's tokens and profile (called only after the token proved itself)."""
    from .deal_reader import person_name

    profile = profile or {}
    defaults = {
        "access_token": access_token,
        "refresh_token": refresh_token,
        "access_expires_at": timezone.now() + timedelta(seconds=expires_in or 3600),
    }
    if profile:
        defaults["name"] = person_name(profile)[:255]
        defaults["email"] = str(profile.get("EMAIL") or "")[:254]
        defaults["department_ids"] = [str(d) for d in (profile.get("UF_DEPARTMENT") or [])]
    if is_admin is not None:
        defaults["is_admin"] = is_admin
    user, _ = PortalUser.objects.update_or_create(portal=portal, user_id=user_id, defaults=defaults)
    return user


def portal_uninstall(*, portal: Portal, clean: bool) -> None:
    """ONAPPUNINSTALL: the portal is gone for us. Tokens are wiped now; with CLEAN=1 the tenant's
    data is deleted too, in a worker (it can be large)."""
    with transaction.atomic():
        PortalUser.objects.for_portal(portal).update(
            access_token="", refresh_token="", access_expires_at=None
        )
        portal.status = Portal.Status.UNINSTALLED
        portal.uninstalled_at = timezone.now()
        portal.application_token = ""
        portal.save(update_fields=["status", "uninstalled_at", "application_token", "updated_at"])
        if clean:
            from .tasks import portal_purge_tenant_data_task

            transaction.on_commit(lambda: portal_purge_tenant_data_task.delay(portal.pk))
    log.info("portal %s uninstalled (clean=%s)", portal.member_id, clean)


def tenant_models() -> list:
    """Every model with a foreign key to Portal: the tenant's data, wherever it lives."""
    found = []
    for model in apps.get_models():
        if model is Portal:
            continue
        for f in model._meta.get_fields():
            if isinstance(f, ForeignKey) and f.related_model is Portal and f.concrete:
                found.append((model, f.name))
    return found


def portal_purge_tenant_data(*, portal: Portal) -> dict[str, int]:
    """Delete all rows of every tenant model for `portal` (the Portal row stays, uninstalled).

    Tenant models may protect each other (PROTECT/RESTRICT); deleting in passes until nothing
    is left settles any order without a hand-kept list.
    """
    if portal.status != Portal.Status.UNINSTALLED:
        raise ValueError("refusing to purge a portal that is still installed")
    deleted: dict[str, int] = {}
    pending = tenant_models()
    with transaction.atomic():
        for _ in range(len(pending) + 1):
            blocked = []
            for model, field_name in pending:
                try:
                    with transaction.atomic():
                        count, _ = model._base_manager.filter(**{field_name: portal}).delete()
                except (ProtectedError, RestrictedError):
                    blocked.append((model, field_name))
                    continue
                if count:
                    deleted[model._meta.label] = deleted.get(model._meta.label, 0) + count
            if not blocked:
                break
            if len(blocked) == len(pending):
                raise RuntimeError(f"cannot purge {[m._meta.label for m, _ in blocked]}")
            pending = blocked
    log.info("portal %s tenant data purged: %s", portal.member_id, deleted)
    return deleted


def portal_mark_needs_reauth(*, portal: Portal, user: PortalUser | None = None) -> None:
    """The OAuth server refused a refresh token (`invalid_grant`). The portal's admins must open
    the app again; the main page shows it, and admins are told through a user whose token
    still works."""
    Portal.objects.filter(pk=portal.pk).exclude(status=Portal.Status.UNINSTALLED).update(
        status=Portal.Status.NEEDS_REAUTH, updated_at=timezone.now()
    )
    portal.status = Portal.Status.NEEDS_REAUTH
    if user is not None and user.pk:
        PortalUser.objects.filter(pk=user.pk).update(access_token="", refresh_token="")
    log.warning(
        "portal %s needs re-authorization (user %s refresh token refused)",
        portal.member_id,
        getattr(user, "user_id", "?"),
    )
    from .tasks import portal_notify_reauth_task

    transaction.on_commit(
        lambda: portal_notify_reauth_task.delay(portal.pk, getattr(user, "user_id", 0))
    )


def portal_notify_reauth(*, portal: Portal, failed_user_id: int = 0) -> bool:
    """Tell the admins in Bitrix24, through any other user whose token still works."""
    from django.utils.translation import gettext as _

    from .client import B24Error, client_for
    from .selectors import portal_admins, portal_users_with_tokens

    admins = list(portal_admins(portal=portal).values_list("user_id", flat=True))
    if not admins:
        return False
    message = _(
        "Приложению «Документы из 1С» нужна повторная авторизация: откройте приложение "
        "в Битрикс24 (Приложения → Документы из 1С)."
    )
    for sender in portal_users_with_tokens(portal=portal).exclude(user_id=failed_user_id):
        client = client_for(portal, sender)
        try:
            client.batch(
                {
                    f"notify_{a}": ("im.notify.system.add", {"USER_ID": a, "MESSAGE": message})
                    for a in admins
                }
            )
        except B24Error as exc:
            log.info(
                "portal %s: cannot notify via user %s: %s",
                portal.member_id,
                sender.user_id,
                exc.code,
            )
            continue
        return True
    return False


def application_token_matches(portal: Portal, presented: str) -> bool:
    stored = portal.application_token or ""
    if not stored or not presented:
        return False
    return hmac.compare_digest(stored.encode(), presented.encode())
