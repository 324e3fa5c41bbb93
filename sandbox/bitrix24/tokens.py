"""Access and refresh tokens of the sandbox portal, and its OAuth server's answers.

Like Bitrix24: an access token lives `access_ttl` seconds; each refresh hands out a new pair and
kills the refresh token it was given (rotation), so a second refresh with the same token gets
`invalid_grant`; access tokens issued earlier stay valid until they expire.
"""

import secrets
import threading
import time
from dataclasses import dataclass

SCOPE = "crm,catalog,documentgenerator,im,placement,user_brief,department"


@dataclass
class AccessToken:
    user_id: str
    expires_at: float


class TokenError(Exception):
    def __init__(self, error: str, description: str, status: int = 401):
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


class TokenStore:
    def __init__(self, access_ttl: int, refresh_ttl: int = 180 * 24 * 3600):
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self._access: dict[str, AccessToken] = {}
        self._refresh: dict[str, tuple[str, float]] = {}
        self._codes: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, user_id: str) -> dict:
        access, refresh = secrets.token_hex(32), secrets.token_hex(32)
        now = time.time()
        with self._lock:
            self._access[access] = AccessToken(str(user_id), now + self.access_ttl)
            self._refresh[refresh] = (str(user_id), now + self.refresh_ttl)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.access_ttl,
            "expires": int(now + self.access_ttl),
            "user_id": str(user_id),
        }

    def user_for(self, access_token: str) -> str:
        """The user an access token belongs to, or TokenError as the portal answers it."""
        if not access_token:
            raise TokenError("NO_AUTH_FOUND", "Wrong authorization data")
        with self._lock:
            token = self._access.get(access_token)
        if token is None:
            raise TokenError("invalid_token", "Unable to get application by token")
        if token.expires_at <= time.time():
            raise TokenError("expired_token", "The access token provided has expired.")
        return token.user_id

    def rotate(self, refresh_token: str) -> dict:
        with self._lock:
            entry = self._refresh.pop(refresh_token, None)
        if entry is None or entry[1] <= time.time():
            raise TokenError("invalid_grant", "Invalid grant", status=400)
        return self.issue(entry[0])

    def issue_code(self, user_id: str) -> str:
        code = secrets.token_hex(16)
        with self._lock:
            self._codes[code] = (str(user_id), time.time() + 30)  # codes live 30 s on Bitrix24
        return code

    def exchange_code(self, code: str) -> dict:
        with self._lock:
            entry = self._codes.pop(code, None)
        if entry is None or entry[1] <= time.time():
            raise TokenError("invalid_grant", "Invalid grant", status=400)
        return self.issue(entry[0])

    def expire_access_tokens(self):
        with self._lock:
            for token in self._access.values():
                token.expires_at = 0

    def revoke_user(self, user_id: str):
        with self._lock:
            for key in [k for k, t in self._access.items() if t.user_id == str(user_id)]:
                del self._access[key]
