"""`B24Client`: REST calls for one portal and one user's tokens.

Every request goes through the portal's shared rate limiter, is retried when Bitrix24 says
"later" (503 QUERY_LIMIT_EXCEEDED, 429 OPERATION_TIME_LIMIT, 5xx, timeouts), renews an expired
token once, and follows a domain move only after the OAuth server confirms the new address.
"""

import logging
import random
import time

from django.conf import settings

from . import limiter
from .errors import (
    B24AuthError,
    B24Error,
    B24RateLimited,
    B24TransportError,
    B24UntrustedHost,
    error_from_payload,
)
from .tokens import PostedTokens, TokenSource, UserTokens
from .transport import check_portal_url, post_json, same_host

log = logging.getLogger("b24app.client")

BATCH_LIMIT = 50
_TOKEN_ERRORS = {"expired_token", "invalid_token", "NO_AUTH_FOUND"}


def _setting(name: str, default):
    return getattr(settings, name, default)


class B24Client:
    def __init__(self, portal, tokens: TokenSource, *, renew_expired=True, sleep=time.sleep):
        self.portal = portal
        self.tokens = tokens
        # False when the call itself is the proof that a posted token is valid.
        self.renew_expired = renew_expired
        self.request_count = 0  # REST requests sent (benchmarks report requests per set)
        self.oauth_count = 0
        self._sleep = sleep

    # --- public surface ---------------------------------------------------------------------

    def call(self, method: str, params: dict | None = None):
        return self.call_raw(method, params).get("result")

    def call_raw(self, method: str, params: dict | None = None) -> dict:
        """The whole answer (`result`, `total`, `next`, `time`), or a typed B24Error."""
        max_attempts = int(_setting("B24_MAX_ATTEMPTS", 6))
        base_delay = float(_setting("B24_RETRY_BASE_DELAY", 1.0))
        max_op_wait = float(_setting("B24_MAX_OPERATION_WAIT", 30.0))
        renewed = moved = False
        last_error: B24Error | None = None
        for attempt in range(max_attempts):
            # After a renewal or a confirmed move (last_error None) the retry goes at once.
            if attempt and last_error is not None:
                self._backoff(attempt, base_delay, last_error)
            limiter.acquire(self.portal, sleep=self._sleep)
            token = self.tokens.access_token
            url = self._url(method)
            self.request_count += 1
            try:
                reply = post_json(url, {**(params or {}), "auth": token})
            except B24TransportError as exc:
                if not exc.retryable:
                    raise
                last_error = exc
                log.warning("bitrix24 %s %s: %s (attempt %d)", self._who(), method, exc, attempt)
                continue
            if reply.is_redirect:
                if moved:
                    raise B24TransportError("the portal keeps redirecting", "redirect_loop", False)
                self._follow_move(reply.location)
                moved = True
                last_error = None
                continue
            payload = reply.payload
            code = str(payload.get("error") or "") if isinstance(payload, dict) else ""
            if reply.status < 400 and not code:
                return payload
            error = error_from_payload(reply.status, payload)
            if code in _TOKEN_ERRORS and self.renew_expired and not renewed:
                renewed = True
                self._renew(token)
                last_error = None
                continue
            if code == "OPERATION_TIME_LIMIT":
                wait = self._operating_reset_wait(payload)
                if wait > max_op_wait:
                    raise B24RateLimited(error.message, code, retry_after=wait)
                error = B24RateLimited(error.message, code, retry_after=wait)
            if not error.retryable:
                raise error
            last_error = error
            log.warning("bitrix24 %s %s: %s (attempt %d)", self._who(), method, code, attempt)
        if last_error is None:
            raise B24TransportError("no answer after renewing the token", "retries_exhausted")
        if isinstance(last_error, B24RateLimited):
            raise last_error
        raise B24TransportError(str(last_error), last_error.code or "retries_exhausted")

    def batch(self, cmds: dict, halt: bool = False) -> tuple[dict, dict]:
        """Run commands `{key: (method, params)}`; more than 50 are split into several batches.

        References (`$result[key][field]`) only resolve within one request, so keep related
        commands within the first 50.
        """
        results: dict = {}
        errors: dict = {}
        items = list(cmds.items())
        for start in range(0, len(items), BATCH_LIMIT):
            chunk = items[start : start + BATCH_LIMIT]
            payload = self.call_raw(
                "batch",
                {
                    "halt": 1 if halt else 0,
                    "cmd": {key: _command(method, params) for key, (method, params) in chunk},
                },
            )
            body = payload.get("result") or {}
            results.update(_as_mapping(body.get("result")))
            errors.update(_as_mapping(body.get("result_error")))
            if halt and errors:
                break
        return results, errors

    def list_all(self, method: str, params: dict | None = None, *, limit: int = 10000) -> list:
        """Every page of a list method (`start`/`next`), up to `limit` rows."""
        params = dict(params or {})
        rows: list = []
        start = 0
        while True:
            payload = self.call_raw(method, {**params, "start": start})
            page = payload.get("result") or []
            if isinstance(page, dict):  # some list methods wrap rows: {"items": [...]}
                page = next((v for v in page.values() if isinstance(v, list)), [])
            rows.extend(page)
            nxt = payload.get("next")
            if not nxt or len(rows) >= limit:
                return rows[:limit]
            start = int(nxt)

    # --- internals ----------------------------------------------------------------------------

    def _who(self) -> str:
        return self.portal.member_id

    def _url(self, method: str) -> str:
        endpoint = check_portal_url(self.portal.client_endpoint)
        if not endpoint.endswith("/"):
            endpoint += "/"
        return f"{endpoint}{method}"

    def _backoff(self, attempt: int, base: float, error: B24Error | None) -> None:
        if isinstance(error, B24RateLimited) and error.retry_after:
            delay = error.retry_after
        else:
            delay = base * (2 ** (attempt - 1))
            delay = min(delay, 30.0) * (0.75 + random.random() / 2)
        self._sleep(delay)

    @staticmethod
    def _operating_reset_wait(payload: dict) -> float:
        timing = payload.get("time") if isinstance(payload.get("time"), dict) else {}
        reset_at = timing.get("operating_reset_at") or payload.get("operating_reset_at")
        try:
            wait = float(reset_at) - time.time() if reset_at else 0.0
        except (TypeError, ValueError):
            wait = 0.0
        # operating_reset_at is in whole seconds: an instant "already past" may still be a
        # moment away on the portal's clock.
        return wait if wait > 0 else 1.0

    def _renew(self, rejected_token: str) -> None:
        self.oauth_count += 1
        grant = self.tokens.renew(rejected_token)
        if grant and grant.member_id != self.portal.member_id:
            raise B24AuthError("the OAuth server named another portal", "member_mismatch")
        if grant and not same_host(grant.client_endpoint, self.portal.client_endpoint):
            # The OAuth server is the authority on where the portal lives now.
            self._move_portal(grant)

    def _follow_move(self, location: str) -> None:
        """A 3xx from the portal: its domain changed. Never follow blindly (a POST would become a
        GET, and a redirect could point anywhere): ask the OAuth server where the portal is."""
        old = self.portal.client_endpoint
        self.oauth_count += 1
        grant = self.tokens.renew(self.tokens.access_token) if self._can_renew() else None
        if grant is None:
            # Another worker renewed first; it moved the portal too. Re-read the endpoint.
            self.portal.refresh_from_db(fields=["client_endpoint", "domain"])
            if self.portal.client_endpoint == old:
                raise B24UntrustedHost("redirect without a confirmed domain move", "redirect")
            if not same_host(location, self.portal.client_endpoint):
                raise B24UntrustedHost("redirect to a host the portal does not own", "redirect")
            return
        if not same_host(location, grant.client_endpoint):
            raise B24UntrustedHost("redirect to a host the portal does not own", "redirect")
        self._move_portal(grant)

    def _can_renew(self) -> bool:
        return bool(self.tokens.refresh_token)

    def _move_portal(self, grant) -> None:
        if grant.member_id != self.portal.member_id:
            raise B24AuthError("the OAuth server named another portal", "member_mismatch")
        log.warning(
            "portal %s moved from %s to %s",
            self.portal.member_id,
            self.portal.domain,
            grant.domain,
        )
        self.portal.client_endpoint = grant.client_endpoint
        self.portal.domain = grant.domain
        if self.portal.pk:
            type(self.portal).objects.filter(pk=self.portal.pk).update(
                client_endpoint=grant.client_endpoint, domain=grant.domain
            )


def _command(method: str, params: dict | None) -> str:
    """One batch command as Bitrix24 wants it: `method?query` with PHP bracket keys.

    `$`, `[` and `]` stay literal so `$result[key][FIELD]` references are seen by the portal
    (it substitutes them before parsing the sub-query)."""
    from urllib.parse import quote, urlencode

    if not params:
        return method
    return f"{method}?{urlencode(_flatten(params), quote_via=quote, safe='$[]')}"


def _flatten(data, prefix: str = "") -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    items = enumerate(data) if isinstance(data, list) else data.items()
    for key, value in items:
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict | list):
            pairs.extend(_flatten(value, name))
        elif isinstance(value, bool):
            pairs.append((name, "Y" if value else "N"))
        elif value is None:
            pairs.append((name, ""))
        else:
            pairs.append((name, str(value)))
    return pairs


def _as_mapping(value) -> dict:
    if isinstance(value, dict):
        return value
    if isinstance(value, list):  # PHP encodes an empty or 0..n array as a JSON list
        return {str(i): v for i, v in enumerate(value)}
    return {}


def client_for(portal, user) -> B24Client:
    """A client acting as `user` (a PortalUser with stored tokens) on `portal`."""
    return B24Client(portal, UserTokens(user))


def client_with_posted_tokens(portal, access_token: str, refresh_token: str = "") -> B24Client:
    """A client on a stored portal's endpoint with tokens from an unverified POST.

    Nothing is persisted by it; a successful call proves the token belongs to that portal.
    """
    return B24Client(portal, PostedTokens(access_token, refresh_token), renew_expired=False)
