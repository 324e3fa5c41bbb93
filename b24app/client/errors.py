"""Typed Bitrix24 errors: each says whether trying again later can help.

Callers branch on the class (or `retryable`), never on HTTP statuses: Bitrix24 reports errors
by the `error` string (see reference/bitrix24/derived/errors_catalog.json).
"""


class B24Error(Exception):
    retryable: bool = False

    def __init__(self, message: str, code: str = "", retryable: bool | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        if retryable is not None:
            self.retryable = retryable

    def __str__(self):
        return f"{self.code}: {self.message}" if self.code else self.message


class B24TransportError(B24Error):
    """Network failure, timeout or 5xx: the portal may answer next time."""

    retryable = True


class B24RateLimited(B24Error):
    """QUERY_LIMIT_EXCEEDED / OPERATION_TIME_LIMIT after our own retries ran out."""

    retryable = True

    def __init__(self, message: str, code: str = "", retry_after: float = 0.0):
        super().__init__(message, code)
        self.retry_after = retry_after


class B24AuthError(B24Error):
    """The token was refused (expired, invalid, wrong portal). Permanent for this token."""


class B24ReauthRequired(B24AuthError):
    """The OAuth server refused the refresh token (`invalid_grant`): a user must open the app."""


class B24AccessDenied(B24Error):
    """REST is off for the portal's plan, the user lacks rights or the scope is missing."""


class B24NotFound(B24Error):
    """The method or the object does not exist."""


class B24PortalGone(B24Error):
    """PORTAL_DELETED, or the app was uninstalled."""


class B24UntrustedHost(B24Error):
    """A URL outside the verified portal and the OAuth server: we never call it."""


class B24ApiError(B24Error):
    """Any other error Bitrix24 reported for a call (bad arguments and such)."""


_PERMANENT_BY_CODE = {
    "expired_token": B24AuthError,
    "invalid_token": B24AuthError,
    "NO_AUTH_FOUND": B24AuthError,
    "WRONG_AUTH_TYPE": B24AuthError,
    "invalid_grant": B24ReauthRequired,
    "invalid_client": B24AuthError,
    "ACCESS_DENIED": B24AccessDenied,
    "insufficient_scope": B24AccessDenied,
    "user_access_error": B24AccessDenied,
    "PAYMENT_REQUIRED": B24AccessDenied,
    "ERROR_METHOD_NOT_FOUND": B24NotFound,
    "PORTAL_DELETED": B24PortalGone,
    "APPLICATION_NOT_FOUND": B24PortalGone,
}
_RETRYABLE_CODES = {"QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT", "OVERLOAD_LIMIT"}


def error_from_payload(status: int, payload: dict) -> B24Error:
    """Build the typed error for a Bitrix24 error body (`{"error": …, "error_description": …}`)."""
    code = str(payload.get("error") or "")
    message = str(payload.get("error_description") or code or f"HTTP {status}")
    if code in _RETRYABLE_CODES:
        return B24RateLimited(message, code)
    cls = _PERMANENT_BY_CODE.get(code)
    if cls:
        return cls(message, code)
    if status >= 500:
        return B24TransportError(message, code or str(status))
    if message.lower() == "not found":
        return B24NotFound(message, code)
    return B24ApiError(message, code)
