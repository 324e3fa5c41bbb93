"""Reads of portals and their users. Everything tenant-owned is reached through its portal."""

from .models import Portal, PortalUser


def portal_get_by_member_id(member_id: str) -> Portal | None:
    if not member_id or len(member_id) > 64:
        return None
    return Portal.objects.filter(member_id=member_id).first()


def portal_get_active(portal_id: int) -> Portal | None:
    return Portal.objects.exclude(status=Portal.Status.UNINSTALLED).filter(pk=portal_id).first()


def portal_user_get_active(*, portal_id: int, user_id: int) -> PortalUser | None:
    """A user of a portal that has the app installed, with its portal: one query, since every
    request from the iframe asks."""
    return (
        PortalUser.objects.select_related("portal")
        .filter(portal_id=portal_id, user_id=user_id)
        .exclude(portal__status=Portal.Status.UNINSTALLED)
        .first()
    )


def portal_admins(*, portal: Portal):
    return PortalUser.objects.for_portal(portal).filter(is_admin=True)


def portal_users_with_tokens(*, portal: Portal):
    return PortalUser.objects.for_portal(portal).exclude(refresh_token="")
