"""The Bitrix24 REST client: `client_for(portal, user)` and typed errors."""

from .client import BATCH_LIMIT, B24Client, client_for, client_with_posted_tokens
from .errors import (
    B24AccessDenied,
    B24ApiError,
    B24AuthError,
    B24Error,
    B24NotFound,
    B24PortalGone,
    B24RateLimited,
    B24ReauthRequired,
    B24TransportError,
    B24UntrustedHost,
)

__all__ = [
    "BATCH_LIMIT",
    "B24AccessDenied",
    "B24ApiError",
    "B24AuthError",
    "B24Client",
    "B24Error",
    "B24NotFound",
    "B24PortalGone",
    "B24RateLimited",
    "B24ReauthRequired",
    "B24TransportError",
    "B24UntrustedHost",
    "client_for",
    "client_with_posted_tokens",
]
