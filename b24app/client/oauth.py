"""The OAuth server (settings.B24_OAUTH_URL): the one authority on tokens and portal identity.

Its answer to a refresh carries the portal's member_id, domain and client_endpoint; that is how
we verify a first POST from an unknown portal and learn a portal's new domain.
"""

import logging
from dataclasses import dataclass

from django.conf import settings

from .errors import B24AuthError
from .transport import check_portal_url, get_json, raise_for_error

log = logging.getLogger("b24app.client")


@dataclass(frozen=True)
class OAuthGrant:
    access_token: str
    refresh_token: str
    expires_in: int
    member_id: str
    client_endpoint: str
    server_endpoint: str
    domain: str
    user_id: int
    scope: str

    def __repr__(self):  # tokens must never reach a log through a repr
        return f"OAuthGrant(member_id={self.member_id!r}, user_id={self.user_id})"


def refresh(refresh_token: str) -> OAuthGrant:
    """Exchange a refresh token for a new pair (the old refresh token dies: rotation)."""
    if not refresh_token:
        raise B24AuthError("no refresh token", "no_refresh_token")
    reply = get_json(
        f"{settings.B24_OAUTH_URL}/oauth/token/",
        {
            "grant_type": "refresh_token",
            "client_id": settings.B24_CLIENT_ID,
            "client_secret": settings.B24_CLIENT_SECRET,
            "refresh_token": refresh_token,
        },
    )
    raise_for_error(reply)
    data = reply.payload
    try:
        client_endpoint = check_portal_url(str(data["client_endpoint"]))
        grant = OAuthGrant(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            expires_in=int(data.get("expires_in") or 3600),
            member_id=str(data["member_id"]),
            client_endpoint=client_endpoint,
            server_endpoint=str(data.get("server_endpoint") or ""),
            domain=_domain_of(client_endpoint),
            user_id=int(data.get("user_id") or 0),
            scope=str(data.get("scope") or ""),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise B24AuthError("malformed answer from the OAuth server", "bad_oauth_answer") from exc
    log.info("oauth refresh ok for member %s user %s", grant.member_id, grant.user_id)
    return grant


def _domain_of(client_endpoint: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(client_endpoint).netloc
