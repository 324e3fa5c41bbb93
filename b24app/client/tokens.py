"""Where a client's access token comes from, and how it is renewed.

Refresh tokens rotate: if two workers refresh the same pair, the second gets `invalid_grant` and
the user is locked out. So a refresh runs under a cross-process lock (Redis when REDIS_URL is set,
otherwise a row lock: `select_for_update` on PostgreSQL; on SQLite the IMMEDIATE transaction
serialises writers), and re-reads the tokens after acquiring it: whoever waited finds a fresh
token and uses it without calling the OAuth server.
"""

import logging
import threading
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import oauth
from .errors import B24AuthError, B24ReauthRequired, B24TransportError

log = logging.getLogger("b24app.client")

LOCK_TIMEOUT = 60  # seconds a refresh may hold the lock (the OAuth call has its own timeout)
_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


@contextmanager
def refresh_lock(key: str):
    if settings.REDIS_URL:
        from redis.exceptions import LockError

        from .limiter import bucket

        lock = bucket()._redis.lock(
            f"b24:lock:{key}", timeout=LOCK_TIMEOUT, blocking_timeout=LOCK_TIMEOUT
        )
        if not lock.acquire():
            # Another process has held the refresh for a minute: like a slow portal, try later.
            raise B24TransportError("another process is still renewing the token", "refresh_busy")
        try:
            yield
        finally:
            # A refresh slower than LOCK_TIMEOUT outlives its lock; it still ran under the row
            # lock, so a lock that is no longer ours must not turn a done refresh into an error.
            with suppress(LockError):
                lock.release()
        return
    # Threads of one process first queue here, so the database lock below only ever sees one
    # waiter per process (SQLite reports contention as an error instead of waiting on it).
    with _local_guard:
        lock = _local_locks.setdefault(key, threading.Lock())
    with lock:
        yield


class TokenSource:
    """The access token a client sends, and a way to get a new one."""

    access_token: str = ""
    refresh_token: str = ""

    def renew(self, rejected_token: str) -> oauth.OAuthGrant | None:
        raise NotImplementedError


class UserTokens(TokenSource):
    """A stored PortalUser's tokens; renewals are persisted under the lock."""

    def __init__(self, user):
        self.user = user

    @property
    def access_token(self) -> str:
        return self.user.access_token

    @property
    def refresh_token(self) -> str:
        return self.user.refresh_token

    def renew(self, rejected_token: str) -> oauth.OAuthGrant | None:
        from b24app.models import PortalUser

        user = self.user
        refused: B24ReauthRequired | None = None
        with refresh_lock(f"{user.portal_id}:{user.user_id}"), transaction.atomic():
            fresh = PortalUser.objects.select_for_update().get(pk=user.pk)
            if fresh.access_token and fresh.access_token != rejected_token:
                # Someone refreshed while we waited for the lock: theirs is the live pair.
                self._adopt(fresh)
                return None
            try:
                grant = oauth.refresh(fresh.refresh_token)
            except B24ReauthRequired as exc:
                refused = exc
                grant = None
            if refused is None:
                self._store(fresh, grant)
        if refused is not None:
            _reauth_needed(user)
            raise refused
        return grant

    def _store(self, fresh, grant) -> None:
        if grant.member_id != self.user.portal.member_id:
            raise B24AuthError("the OAuth server named another portal", "member_mismatch")
        fresh.access_token = grant.access_token
        fresh.refresh_token = grant.refresh_token
        fresh.access_expires_at = timezone.now() + timedelta(seconds=grant.expires_in)
        if grant.scope:
            fresh.scope = grant.scope[:255]
        fresh.save(
            update_fields=[
                "access_token",
                "refresh_token",
                "access_expires_at",
                "scope",
                "updated_at",
            ]
        )
        self._adopt(fresh)

    def _adopt(self, fresh):
        self.user.access_token = fresh.access_token
        self.user.refresh_token = fresh.refresh_token
        self.user.access_expires_at = fresh.access_expires_at


class PostedTokens(TokenSource):
    """Tokens from a placement POST, not yet stored: renewals stay in memory until the caller
    has verified the post and saves them."""

    def __init__(self, access_token: str, refresh_token: str = ""):
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.grant: oauth.OAuthGrant | None = None

    def renew(self, rejected_token: str) -> oauth.OAuthGrant | None:
        grant = oauth.refresh(self.refresh_token)
        self.access_token, self.refresh_token = grant.access_token, grant.refresh_token
        self.grant = grant
        return grant


def _reauth_needed(user) -> None:
    from b24app.services import portal_mark_needs_reauth

    portal_mark_needs_reauth(portal=user.portal, user=user)
