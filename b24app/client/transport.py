"""HTTP to Bitrix24: one pooled `requests.Session` per process, trusted hosts only.

Why not b24pysdk's requesters: 1.3.2 posts through module-level `requests.post/get` (a new TCP+TLS
connection per call, no place to hook a rate limiter), builds `https://{domain}/rest` and its
OAuth URL (`https://oauth.bitrix24.tech`) as constants (no http:// sandbox, no configurable
B24_OAUTH_URL, no client_endpoint from the token answer), and follows nothing on a domain move.
Those are exactly the parts this module replaces; everything above it is plain REST.
"""

import ipaddress
import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from .errors import B24Error, B24TransportError, B24UntrustedHost, error_from_payload

log = logging.getLogger("b24app.client")

_SECRET_PARAM = re.compile(
    r"((?:refresh_token|access_token|client_secret|auth|code|application_token)=)[^&\s\"]+"
)


class RedactSecrets(logging.Filter):
    """urllib3 logs every request line at DEBUG, query string included; the OAuth refresh is a
    GET with the refresh token and client secret in it. Scrub them before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _SECRET_PARAM.sub(r"\1***", a) if isinstance(a, str) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        if isinstance(record.msg, str):
            record.msg = _SECRET_PARAM.sub(r"\1***", record.msg)
        return True


logging.getLogger("urllib3.connectionpool").addFilter(RedactSecrets())

TIMEOUT = (10, 60)  # connect, read: Bitrix24 cuts a request at 60 s itself

_session_lock = threading.Lock()
_session: tuple[int, requests.Session] | None = None


def session() -> requests.Session:
    """The process' session. Re-created after fork: pooled sockets must not be shared."""
    global _session
    with _session_lock:
        if _session is None or _session[0] != os.getpid():
            s = requests.Session()
            adapter = HTTPAdapter(pool_connections=16, pool_maxsize=32, max_retries=0)
            s.mount("https://", adapter)
            s.mount("http://", adapter)
            s.headers["User-Agent"] = "documents-from-1c/1.0"
            _session = (os.getpid(), s)
        return _session[1]


def check_portal_url(url: str) -> str:
    """Refuse URLs a portal can't legitimately have, unless dev/test allows insecure portals."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise B24UntrustedHost("not a portal URL", "untrusted_host")
    if settings.B24_ALLOW_INSECURE_PORTALS:
        return url
    if parts.scheme != "https":
        raise B24UntrustedHost("portal URL must use https", "untrusted_host")
    host = parts.hostname
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise B24UntrustedHost("portal URL points at a local host", "untrusted_host")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not ip.is_global:
        raise B24UntrustedHost("portal URL points at a private address", "untrusted_host")
    return url


def same_host(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc.lower()) == (pb.scheme, pb.netloc.lower())


@dataclass
class Reply:
    status: int
    payload: dict
    location: str = ""

    @property
    def is_redirect(self) -> bool:
        return self.status in (301, 302, 303, 307, 308) and bool(self.location)


def post_json(url: str, body: dict) -> Reply:
    """POST without following redirects: `requests` would turn a 302'd POST into a GET."""
    try:
        resp = session().post(url, json=body, timeout=TIMEOUT, allow_redirects=False)
    except requests.Timeout as exc:
        raise B24TransportError("Bitrix24 did not answer in time", "timeout") from exc
    except requests.RequestException as exc:
        raise B24TransportError(f"cannot reach Bitrix24: {type(exc).__name__}", "network") from exc
    return _reply(resp)


def get_json(url: str, params: dict) -> Reply:
    try:
        resp = session().get(url, params=params, timeout=TIMEOUT, allow_redirects=False)
    except requests.Timeout as exc:
        raise B24TransportError("the OAuth server did not answer in time", "timeout") from exc
    except requests.RequestException as exc:
        raise B24TransportError(
            f"cannot reach the OAuth server: {type(exc).__name__}", "network"
        ) from exc
    return _reply(resp)


def _reply(resp: requests.Response) -> Reply:
    location = resp.headers.get("Location", "")
    try:
        payload = resp.json() if resp.content else {}
    except (ValueError, json.JSONDecodeError):
        payload = None
    if payload is None or not isinstance(payload, dict):
        if resp.status_code >= 500:
            raise B24TransportError(f"HTTP {resp.status_code} from Bitrix24", str(resp.status_code))
        if 300 <= resp.status_code < 400:
            return Reply(resp.status_code, {}, location)
        raise B24TransportError(
            f"unexpected non-JSON answer (HTTP {resp.status_code})", "bad_answer", retryable=False
        )
    return Reply(resp.status_code, payload, location)


def raise_for_error(reply: Reply) -> None:
    if reply.status >= 400 or "error" in reply.payload:
        raise error_from_payload(reply.status, reply.payload)


__all__ = [
    "B24Error",
    "Reply",
    "check_portal_url",
    "get_json",
    "post_json",
    "raise_for_error",
    "same_host",
    "session",
]
