"""The sandbox portal: a WSGI app that answers like a Bitrix24 portal and its OAuth server.

Domain changes: a portal's address can change while its member_id stays. To test that, start a
second SandboxServer on the same app and call `sb.move_domain(second.url)`. From then on the
old address answers every portal path (REST, pages) with 302 to the same path on the new one;
REST answers, placement posts and OAuth refreshes name the new `client_endpoint`. The OAuth
server itself does not move (on Bitrix24 it is oauth.bitrix.info), so `/oauth/` keeps answering
on the first address, and OAuth's `domain` stays the OAuth host, as the real answer says
(oauth.token-refresh.json): read the portal's address from `client_endpoint`, not `domain`.
"""

import hashlib
import json
import logging
import secrets
import threading
import time
from urllib.parse import urlsplit

import requests

from sandbox.bitrix24 import (  # noqa: F401 - registers the REST methods
    batch,
    methods_core,
    methods_crm,
    methods_prices,
    methods_write,
)
from sandbox.bitrix24.limits import LIMITS, LeakyBucket, OperationLimits, Stats
from sandbox.bitrix24.params import flatten_pairs, request_params
from sandbox.bitrix24.rest import METHODS, Call, Listed, RestError, time_block
from sandbox.bitrix24.seed import seed as seed_state
from sandbox.bitrix24.state import PortalState
from sandbox.bitrix24.tokens import SCOPE, TokenError, TokenStore
from sandbox.wsgi import Request, Response, json_response

log = logging.getLogger("sandbox.bitrix24")
OAUTH_PREFIX = "/oauth/"
METHOD_NOT_FOUND = {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"}
UNMOVED_PREFIXES = (OAUTH_PREFIX, "/sandbox/", "/bx24-shim.js")


class Bitrix24Sandbox:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        app_url: str = "http://127.0.0.1:8000",
        license_family: str = "basic",
        access_ttl: int = 3600,
        seed: bool = True,
        member_id: str | None = None,
        application_token: str | None = None,
    ):
        if license_family not in LIMITS:
            raise ValueError(f"license_family must be one of {sorted(LIMITS)}")
        self.client_id = client_id
        self.client_secret = client_secret
        self.app_url = app_url.rstrip("/")
        self.license_family = license_family
        self.scope = SCOPE
        # Stable per client id, so a restarted demo sandbox is the same portal to the app.
        digest = hashlib.sha256(f"b24-sandbox:{client_id}".encode()).hexdigest()
        self.member_id = member_id or digest[:32]
        self.application_token = application_token or digest[32:64]
        self.app_status = "L" if client_id.startswith("local.") else "F"
        self.state = PortalState()
        if seed:
            seed_state(self.state)
        self.tokens = TokenStore(access_ttl)
        self.stats = Stats()
        self._stats_lock = threading.Lock()
        drain, capacity = LIMITS[license_family]
        self.bucket = LeakyBucket(drain, capacity)
        self.operation_limits = OperationLimits()
        self.rest_enabled = True
        self.url = ""
        self.domain = ""
        self.oauth_url = ""
        self.moved_from: set[str] = set()
        from sandbox.bitrix24.pages import ROUTER  # late: pages import this module's helpers

        self.router = ROUTER

    # --- wiring -------------------------------------------------------------------------------

    def bind(self, url: str) -> "Bitrix24Sandbox":
        """Learn our own base URL (known only once the server has a port)."""
        self.url = url.rstrip("/")
        self.domain = urlsplit(self.url).netloc
        self.oauth_url = self.oauth_url or self.url
        return self

    def move_domain(self, new_url: str):
        """The portal now lives at `new_url` (served by another SandboxServer on this app)."""
        self.moved_from.add(self.domain)
        self.url = new_url.rstrip("/")
        self.domain = urlsplit(self.url).netloc
        self.moved_from.discard(self.domain)

    @property
    def client_endpoint(self) -> str:
        return f"{self.url}/rest/"

    @property
    def server_endpoint(self) -> str:
        return f"{self.oauth_url}/rest/"

    @property
    def protocol(self) -> str:
        return "1" if self.url.startswith("https:") else "0"

    # --- test controls ------------------------------------------------------------------------

    def issue_tokens(self, user_id) -> dict:
        tokens = self.tokens.issue(str(user_id))
        return {k: tokens[k] for k in ("access_token", "refresh_token", "expires_in")}

    def issue_auth_code(self, user_id) -> str:
        return self.tokens.issue_code(str(user_id))

    def expire_access_tokens(self):
        self.tokens.expire_access_tokens()

    def set_rest_enabled(self, enabled: bool):
        self.rest_enabled = enabled

    def set_operation_time_limit(self, method: str, seconds: float):
        self.operation_limits.block(method, seconds)

    def set_user_active(self, user_id, active: bool):
        self.state.users[str(user_id)]["ACTIVE"] = active

    def reset_stats(self):
        with self._stats_lock:
            self.stats = Stats()

    # --- what Bitrix24 posts to the app -------------------------------------------------------

    def placement_post(
        self, user_id, placement="CRM_DEAL_DETAIL_TAB", options=None, lang="ru"
    ) -> tuple[dict, dict]:
        tokens = self.tokens.issue(str(user_id))
        query = {
            "DOMAIN": self.domain,
            "PROTOCOL": self.protocol,
            "LANG": lang,
            "APP_SID": secrets.token_hex(16),
        }
        form = {
            "AUTH_ID": tokens["access_token"],
            "AUTH_EXPIRES": str(tokens["expires_in"]),
            "REFRESH_ID": tokens["refresh_token"],
            "SERVER_ENDPOINT": self.server_endpoint,
            "APPLICATION_TOKEN": self.application_token,
            "APPLICATION_SCOPE": self.scope,
            "member_id": self.member_id,
            "status": self.app_status,
            "PLACEMENT": placement,
        }
        if placement != "DEFAULT" or options:
            options = {"ID": "1"} if options is None else options
            form["PLACEMENT_OPTIONS"] = json.dumps(options, separators=(",", ":"))
        return query, form

    def install_post(self, user_id="1", lang="ru") -> tuple[dict, dict]:
        return self.placement_post(user_id, placement="DEFAULT", options={}, lang=lang)

    def event_form(
        self,
        event: str,
        data: dict | None = None,
        *,
        application_token=None,
        user_id="1",
        handler_id=None,
    ) -> list[tuple[str, str]]:
        event = event.upper()
        token = application_token or self.application_token
        if event == "ONAPPUNINSTALL":  # the app is gone: no tokens, only the application token
            auth = {
                "domain": self.domain,
                "server_endpoint": self.server_endpoint,
                "client_endpoint": self.client_endpoint,
                "member_id": self.member_id,
                "application_token": token,
            }
            data = {"LANGUAGE_ID": "ru", "CLEAN": 0} if data is None else data
        else:
            tokens = self.tokens.issue(str(user_id))
            auth = {
                "access_token": tokens["access_token"],
                "expires_in": str(tokens["expires_in"]),
                "scope": self.scope,
                "domain": self.domain,
                "server_endpoint": self.server_endpoint,
                "status": self.app_status,
                "client_endpoint": self.client_endpoint,
                "member_id": self.member_id,
                "refresh_token": tokens["refresh_token"],
                "application_token": token,
            }
            if event == "ONAPPINSTALL" and data is None:
                data = {"VERSION": "1", "ACTIVE": "Y", "INSTALLED": "Y", "LANGUAGE_ID": "ru"}
        pairs = [("event", event)]
        if handler_id:
            pairs.append(("event_handler_id", str(handler_id)))
        pairs += flatten_pairs(data or {}, "data")
        pairs.append(("ts", str(int(time.time()))))
        pairs += flatten_pairs(auth, "auth")
        return pairs

    def deliver_events(self, event: str, data: dict | None = None, **kwargs) -> list[tuple]:
        """POST the event to every handler bound with event.bind; [(handler, HTTP status)]."""
        results = []
        for binding in [e for e in self.state.events if e["event"] == event.upper()]:
            user = binding["auth_type"] if binding["auth_type"] != "0" else binding["bound_by"]
            form = self.event_form(event, data, user_id=user, handler_id=binding["id"], **kwargs)
            try:
                response = requests.post(binding["handler"], data=form, timeout=10)
                results.append((binding["handler"], response.status_code))
            except requests.RequestException as exc:  # Bitrix24 does not retry either
                log.warning("event %s to %s failed: %s", event, binding["handler"], exc)
                results.append((binding["handler"], None))
        return results

    # --- REST ---------------------------------------------------------------------------------

    def execute(self, method_name: str, params: dict, user_id: str, *, in_batch=False):
        """Run one method as `user_id`; (HTTP status, body) exactly as the portal answers."""
        started = time.time()
        spec = METHODS.get(method_name.lower())
        if spec is None:
            return 404, dict(METHOD_NOT_FOUND)
        if in_batch and not spec.batch_allowed:
            return 405, {
                "error": "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "error_description": "Method is not allowed for batch usage",
            }
        with self._stats_lock:
            (self.stats.batch_commands if in_batch else self.stats.per_method)[spec.name] += 1
        reset_at = self.operation_limits.reset_at(spec.name)
        if reset_at is not None:
            with self._stats_lock:
                self.stats.rejected_429 += 1
            timing = time_block(started, operating=480.0) | {"operating_reset_at": int(reset_at)}
            return 429, {
                "error": "OPERATION_TIME_LIMIT",
                "error_description": "Method is blocked due to operation time limit.",
                "time": timing,
            }
        call = Call(self, user_id, params, batch=in_batch)
        try:
            result = spec.handler(call)
        except RestError as exc:
            return exc.status, exc.body()
        except Exception:  # a sandbox bug must look like a portal 500, not kill the server
            log.exception("sandbox method %s failed", spec.name)
            return 500, {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal error"}
        body: dict = {}
        if isinstance(result, Listed):
            body["result"] = {result.wrap: result.items} if result.wrap else result.items
            if result.next is not None:
                body["next"] = result.next
            body["total"] = result.total
        else:
            body["result"] = result
        body["time"] = time_block(started)
        return 200, body

    def handle_rest(self, request: Request, method_name: str) -> Response:
        with self._stats_lock:
            self.stats.rest_requests += 1
        if not self.rest_enabled:
            return json_response(
                {
                    "error": "ACCESS_DENIED",
                    "error_description": "REST API is available only on commercial plans.",
                },
                403,
            )
        admitted, level = self.bucket.admit(request.environ.get("REMOTE_ADDR", ""))
        with self._stats_lock:
            self.stats.max_bucket_level = max(self.stats.max_bucket_level, level)
            if not admitted:
                self.stats.rejected_503 += 1
        if not admitted:
            body = {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
            return json_response(body, 503)
        params = request_params(request)
        if method_name.lower() not in METHODS:
            return json_response(METHOD_NOT_FOUND, 404)
        try:
            user_id = self.tokens.user_for(str(params.pop("auth", "") or ""))
        except TokenError as exc:
            return json_response(exc.body(), exc.status)
        user = self.state.users.get(user_id)
        if user is None or not user.get("ACTIVE", True):
            body = {
                "error": "user_access_error",
                "error_description": "The user does not have access to the application.",
            }
            return json_response(body, 403)
        status, body = self.execute(method_name, params, user_id)
        return json_response(body, status)

    # --- OAuth server -------------------------------------------------------------------------

    def handle_oauth_token(self, request: Request) -> Response:
        params = request_params(request)
        if params.get("client_id") != self.client_id or (
            params.get("client_secret") != self.client_secret
        ):
            return json_response(
                {"error": "invalid_client", "error_description": "Invalid client"}, 400
            )
        grant = params.get("grant_type")
        try:
            if grant == "refresh_token":
                with self._stats_lock:
                    self.stats.refresh_calls += 1
                if not params.get("refresh_token"):
                    body = {"error": "invalid_request", "error_description": "No refresh token"}
                    return json_response(body, 400)
                tokens = self.tokens.rotate(params["refresh_token"])
            elif grant == "authorization_code":
                with self._stats_lock:
                    self.stats.token_grants += 1
                tokens = self.tokens.exchange_code(params.get("code", ""))
            else:
                body = {"error": "unsupported_grant_type", "error_description": "Bad grant type"}
                return json_response(body, 400)
        except TokenError as exc:
            return json_response(exc.body(), exc.status)
        return json_response(
            {
                "access_token": tokens["access_token"],
                "client_endpoint": self.client_endpoint,
                "domain": urlsplit(self.oauth_url).netloc,
                "expires": tokens["expires"],
                "expires_in": tokens["expires_in"],
                "member_id": self.member_id,
                "refresh_token": tokens["refresh_token"],
                "scope": self.scope,
                "server_endpoint": self.server_endpoint,
                "status": self.app_status,
                "user_id": int(tokens["user_id"]),
            }
        )

    # --- WSGI ---------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request.from_environ(environ)
        host = request.headers.get("host", "")
        if host in self.moved_from and not request.path.startswith(UNMOVED_PREFIXES):
            qs = environ.get("QUERY_STRING", "")
            location = self.url + request.path + (f"?{qs}" if qs else "")
            return Response(b"", 302, [("Location", location)])(start_response)
        if request.path.startswith("/rest/"):
            method_name = request.path[len("/rest/") :].strip("/")
            method_name = method_name.removesuffix(".json")
            if request.method not in ("GET", "POST"):
                return json_response({"error": "ERROR_METHOD"}, 405)(start_response)
            return self.handle_rest(request, method_name)(start_response)
        if request.path.rstrip("/") == "/oauth/token" and request.method in ("GET", "POST"):
            return self.handle_oauth_token(request)(start_response)
        view = self.router.resolve(request)
        if view is None:
            return Response("Страница не найдена", 404)(start_response)
        if view == "method-not-allowed":
            return Response("Method not allowed", 405)(start_response)
        return view(self, request)(start_response)
