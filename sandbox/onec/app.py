"""The 1C publication as a WSGI app: the web server in front (auth, outages, latency), the
standard OData interface and our print HTTP service behind it, plus /sandbox/ test controls."""

import base64
import json
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field

from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD
from sandbox.wsgi import Request, Response, json_response

from . import business, odata
from .schema import PROFILES
from .store import ODataError, Store

PUBLICATION = "/demo"
ODATA_ROOT = f"{PUBLICATION}/odata/standard.odata/"
HS_ROOT = f"{PUBLICATION}/hs/"

_HTML_503 = (
    "<html><head><title>503 Service Unavailable</title></head><body>"
    "<h1>Service Unavailable</h1><p>The server is temporarily unable to service your request."
    "</p><hr><address>Apache/2.4.57 (Debian)</address></body></html>"
)
_HTML_500 = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    "</h1></center><hr><center>nginx</center></body></html>"
)
_HTML_401 = "<html><head><title>401 Unauthorized</title></head><body>Unauthorized</body></html>"
_HTML_404 = "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"


@dataclass
class Knobs:
    latency: float = 0.0
    error_rate: float = 0.0
    down: bool = False
    cold_start: float = 0.0
    hidden_sets: set = field(default_factory=set)
    forbidden_sets: set = field(default_factory=set)
    print_service: bool = True
    _idle: bool = field(default=False, repr=False)

    def idle(self):
        """The next request pays `cold_start` (1C after a quiet night)."""
        self._idle = True

    def as_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["hidden_sets"] = sorted(self.hidden_sets)
        data["forbidden_sets"] = sorted(self.forbidden_sets)
        data["idle"] = self._idle
        return data

    def update(self, values: dict):
        for key, value in values.items():
            if key == "idle":
                if value:
                    self.idle()
            elif key in ("hidden_sets", "forbidden_sets"):
                setattr(self, key, set(value or ()))
            elif key in ("latency", "error_rate", "cold_start"):
                setattr(self, key, float(value))
            elif key in ("down", "print_service"):
                setattr(self, key, bool(value))
            else:
                raise KeyError(key)


_HELPERS = {
    "add_payment",
    "add_unallocated_payment",
    "add_shipment",
    "close_order",
    "delete_document",
    "get",
    "find",
}


class OneCSandbox:
    def __init__(self, profile: str = "bp30", seed: bool = True):
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}: bp30 or ut11")
        self.profile = PROFILES[profile]
        self.store = Store(self.profile)
        self.knobs = Knobs()
        self.images: dict[str, dict] = {}  # organization ref -> stamp/director/accountant PNG
        self.url = ""  # publication base, set by whoever serves the app
        self._stats_lock = threading.Lock()
        self.reset_stats()
        if seed:
            from .seed import seed as seed_infobase

            seed_infobase(self)

    # -- identity -----------------------------------------------------------------------------
    def ref(self, entity_set: str, key: str) -> str:
        """Stable Ref_Key of a seeded object: the same on every start."""
        return str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"onec-sandbox:{self.profile.key}:{entity_set}:{key}")
        )

    # -- stats --------------------------------------------------------------------------------
    def reset_stats(self):
        with self._stats_lock:
            self._by_method, self._by_set, self._by_request = Counter(), Counter(), Counter()
            self._total = 0

    @property
    def stats(self) -> dict:
        with self._stats_lock:
            return {
                "total": self._total,
                "by_method": dict(self._by_method),
                "by_entity_set": dict(self._by_set),
                "by_request": dict(self._by_request),
            }

    def _count(self, method: str, target: str):
        with self._stats_lock:
            self._total += 1
            self._by_method[method] += 1
            self._by_set[target] += 1
            self._by_request[f"{method} {target}"] += 1

    # -- WSGI ---------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request.from_environ(environ)
        return self.respond(request)(start_response)

    def respond(self, request: Request) -> Response:
        if request.path.startswith("/sandbox/"):
            return self._control(request)
        self._count(request.method, _target_of(request.path))
        if self.knobs._idle:
            self.knobs._idle = False
            time.sleep(self.knobs.cold_start)
        if self.knobs.latency:
            time.sleep(self.knobs.latency)
        if self.knobs.down:
            return Response(_HTML_503, 503)
        if self.knobs.error_rate and random.random() < self.knobs.error_rate:
            return random.choice([Response(_HTML_503, 503), Response(_HTML_500, 502)])
        if not request.path.startswith(PUBLICATION + "/"):
            return Response(_HTML_404, 404)
        if not self._authorized(request):
            return Response(_HTML_401, 401, [("WWW-Authenticate", 'Basic realm="1C"')])
        base = self._base(request)
        if request.path.startswith(ODATA_ROOT) or request.path == ODATA_ROOT.rstrip("/"):
            subpath = request.path[len(ODATA_ROOT) :]
            return odata.handle(self, request, subpath, f"{base}{ODATA_ROOT}")
        if request.path.startswith(HS_ROOT) and self.knobs.print_service:
            from .printing import handle as print_handle

            return print_handle(self, request, request.path[len(HS_ROOT) :])
        return Response(_HTML_404, 404)

    def _base(self, request: Request) -> str:
        host = request.headers.get("host") or request.environ.get("SERVER_NAME", "localhost")
        return f"http://{host}"

    def _authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            raw = base64.b64decode(header[6:], validate=True)
            login, _, password = raw.decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False  # e.g. a latin-1 encoded login: real 1C rejects it too
        return login == DEMO_LOGIN and password == DEMO_PASSWORD

    # -- OData hooks --------------------------------------------------------------------------
    def visible_set(self, name: str):
        if name in self.knobs.hidden_sets:
            raise ODataError("6", f"Ошибка разбора URL: сегмент «{name}» не найден")
        es = self.store.entity_set(name)
        if name in self.knobs.forbidden_sets:
            raise ODataError("20", "Недостаточно прав для выполнения операции")
        return es

    def visible_set_names(self) -> list[str]:
        return [n for n in self.profile.sets if n not in self.knobs.hidden_sets]

    def after_write(self, name: str, record: dict):
        with self.store.lock:
            business.recompute_totals(self.store, name, record)
            if record.get("DeletionMark") and name == "Document_СчетНаОплатуПокупателю":
                record["Posted"] = False
                business.set_bp_status(self.store, record, "Отменен")

    def post_document(self, name: str, ref: str, *, post: bool):
        with self.store.lock:
            record = self.store.get(name, ref)
            if record is None:
                raise ODataError("9", "Объект не найден")
            if post:
                business.check_posting(self.store, name, record)
            record["Posted"] = post
            record["DataVersion"] = self.store.next_version()
            if post and name == "Document_СчетНаОплатуПокупателю":
                business.set_bp_status(self.store, record)

    # -- helpers for tests and demos ----------------------------------------------------------
    def add_payment(self, invoice_ref_key, amount, date=None, counterparty_ref=None) -> str:
        return business.add_payment(
            self.store, self.profile, invoice_ref_key, amount, date, counterparty_ref
        )

    def add_unallocated_payment(self, counterparty_ref, amount, date=None) -> str:
        return business.add_payment(self.store, self.profile, None, amount, date, counterparty_ref)

    def add_shipment(self, invoice_or_order_ref, amount, date=None) -> str:
        return business.add_shipment(self.store, self.profile, invoice_or_order_ref, amount, date)

    def close_order(self, ref) -> None:
        body = {"Статус": "Закрыт"} if self.profile.key == "ut11" else {}
        self.store.update(self.profile.invoice_set, str(ref), body)

    def delete_document(self, ref) -> None:
        with self.store.lock:
            name, record = self.store.find_any(str(ref))
            if record is None:
                raise KeyError(ref)
            self.store.update(name, record["Ref_Key"], {"DeletionMark": True})
            record["Posted"] = False
            self.after_write(name, record)

    def get(self, entity_set: str, ref) -> dict | None:
        with self.store.lock:
            record = self.store.get(entity_set, str(ref))
            return odata.to_json(record) if record else None

    def find(self, entity_set: str, **fields) -> list[dict]:
        with self.store.lock:
            return [
                odata.to_json(r)
                for r in self.store.rows(entity_set)
                if all(odata.to_json(r.get(k)) == v for k, v in fields.items())
            ]

    def stamp_png(self, org_ref) -> bytes | None:
        return self.images.get(str(org_ref), {}).get("stamp")

    def signature_png(self, org_ref, role: str = "director") -> bytes | None:
        return self.images.get(str(org_ref), {}).get(role)

    # -- /sandbox/ controls (no auth: test infrastructure, never production) -------------------
    def _control(self, request: Request) -> Response:
        path = request.path
        try:
            if path == "/sandbox/knobs":
                if request.method == "POST":
                    self.knobs.update(request.json() if request.body else {})
                return json_response(self.knobs.as_dict())
            if path == "/sandbox/stats":
                if request.method == "DELETE":
                    self.reset_stats()
                return json_response(self.stats)
            if path.startswith("/sandbox/helpers/") and request.method == "POST":
                name = path.removeprefix("/sandbox/helpers/")
                if name not in _HELPERS:
                    return json_response({"error": f"unknown helper {name}"}, 404)
                kwargs = request.json() if request.body else {}
                return json_response({"result": getattr(self, name)(**kwargs)})
        except (KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
            return json_response({"error": f"{type(exc).__name__}: {exc}"}, 400)
        return json_response({"error": "not found"}, 404)


def _target_of(path: str) -> str:
    if path.startswith(ODATA_ROOT):
        rest = path[len(ODATA_ROOT) :]
        return rest.split("(")[0].split("/")[0] or "$service"
    if path.startswith(HS_ROOT):
        return "hs:" + "/".join(path[len(HS_ROOT) :].split("/")[:3])
    return path


def create_app(profile: str = "bp30", seed: bool = True) -> OneCSandbox:
    return OneCSandbox(profile=profile, seed=seed)
