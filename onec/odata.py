"""A thin client of 1C's standard OData interface (OData v3) over `requests`.

Why our own client rather than a library: pyodata and python-odata speak OData v4 (or need to
parse the whole `$metadata`, which on a real BP 3.0 base is tens of megabytes and slow to build),
and both let `requests` encode the query — spaces as `+`, which 1C reads literally, and no v3
literals (`guid'…'`, `datetime'…'`). 1C also sends Int64 values and `LineNumber` as strings and
answers errors as `odata.error` with its own codes. What we need is small: encode a query
exactly, page with `$top`/`$skip`, map errors to typed ones, and send a UTF-8 Basic login.
"""

import base64
import json
import logging
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import requests
from django.utils.translation import gettext as _

from .errors import error_from_response, unavailable

log = logging.getLogger("onec.odata")

ODATA_PATH = "odata/standard.odata/"
EMPTY_REF = "00000000-0000-0000-0000-000000000000"
EMPTY_DATE = "0001-01-01T00:00:00"
DEFAULT_TIMEOUT = 60.0  # a cold 1C (first request after idle) easily takes > 30 s
CONNECT_TIMEOUT = 10.0


# ---- literals and query encoding ---------------------------------------------------------------


class Guid(str):
    """A reference key to be written as `guid'…'` in a filter (a plain str is a string)."""


def literal(value) -> str:
    """An OData v3 literal as 1C reads it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Guid | uuid.UUID):
        return f"guid'{uuid.UUID(str(value))}'"
    if isinstance(value, datetime):
        return f"datetime'{value.replace(tzinfo=None, microsecond=0).isoformat()}'"
    if isinstance(value, date):
        return f"datetime'{value.isoformat()}T00:00:00'"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no OData literal for {type(value).__name__}")


def odata_filter(template: str, *values) -> str:
    """`odata_filter("ИНН eq {} and КПП eq {}", inn, kpp)`: values become literals."""
    return template.format(*(literal(v) for v in values))


# Characters left as they are in a query value; everything else (space, &, +, =, #, Cyrillic)
# is percent-encoded. `+` must be %2B and space %20: 1C does not read `+` as a space.
_QUERY_SAFE = "$'(),:/*"


def encode_query(params: dict) -> str:
    parts = []
    for name, value in params.items():
        if value is None:
            continue
        parts.append(f"{quote(name, safe='$')}={quote(str(value), safe=_QUERY_SAFE)}")
    return "&".join(parts)


def entity_path(entity_set: str, ref_key: str | None = None, action: str | None = None) -> str:
    path = entity_set
    if ref_key is not None:
        path += f"(guid'{uuid.UUID(str(ref_key))}')"
    if action:
        path += f"/{action}"
    return quote(path, safe="()'/_")


# ---- value helpers --------------------------------------------------------------------------


def type_name(entity_set: str) -> str:
    """The `_Type` value of a composite reference: `StandardODATA.Catalog_Номенклатура`."""
    return f"StandardODATA.{entity_set}"


def composite(field: str, entity_set: str, ref_key: str) -> dict:
    """A composite-type reference attribute: the key and its type side by side."""
    return {field: str(ref_key), f"{field}_Type": type_name(entity_set)}


def numbered(rows: list[dict]) -> list[dict]:
    """Tabular-section rows with `LineNumber` 1..n (1C requires them; a PATCH replaces all)."""
    return [{**row, "LineNumber": str(i)} for i, row in enumerate(rows, start=1)]


def as_int(value, default: int = 0) -> int:
    """Int64 values (LineNumber, odata.count, codes) arrive as strings."""
    if value in (None, ""):
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        return default


def as_decimal(value, default: Decimal = Decimal("0")) -> Decimal:
    """Money and quantities: never through float."""
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return default


def is_empty_ref(value) -> bool:
    return not value or str(value) == EMPTY_REF


def ref_or_empty(value) -> str:
    """A reference key as our types keep it: "" for 1C's empty reference."""
    return "" if is_empty_ref(value) else str(value)


def parse_date(value) -> datetime | None:
    """1C dates are local, without zone; `0001-01-01T00:00:00` means empty."""
    if not value or str(value).startswith("0001-01-01"):
        return None
    return datetime.fromisoformat(str(value))


def basic_auth_header(username: str, password: str) -> str:
    # requests encodes Basic credentials as latin-1, which breaks «Администратор»; 1C expects
    # UTF-8 bytes, so the header is built here.
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


# ---- the client -----------------------------------------------------------------------------


class ODataClient:
    """One 1C publication. Reads return plain dicts as 1C sends them; callers turn them into
    dataclasses (onec.operations). Every failure is a `OneCError`."""

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        warmup_set: str = "Catalog_Организации",
        session: requests.Session | None = None,
    ):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.root = self.base_url + ODATA_PATH
        self.timeout = timeout
        self.warmup_set = warmup_set
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = basic_auth_header(username, password)
        self.session.headers["Accept"] = "application/json"
        self.request_count = 0
        self._warm = False

    # -- low level

    def request(self, method: str, path: str, *, params=None, body=None, timeout=None) -> dict:
        query = encode_query({"$format": "json", **(params or {})})
        url = f"{self.root}{path}?{query}"
        data = None
        headers = {}
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        started = time.monotonic()
        self.request_count += 1
        try:
            response = self.session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=(CONNECT_TIMEOUT, timeout or self.timeout),
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise unavailable(_("1С не ответила вовремя"), repr(exc)) from exc
        except requests.RequestException as exc:
            raise unavailable(_("нет соединения с сервером 1С"), repr(exc)) from exc
        log.debug(
            "1C %s %s -> %s in %.0f ms",
            method,
            path.split("?")[0],
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        content_type = response.headers.get("Content-Type", "").lower()
        if response.status_code >= 300:
            raise error_from_response(response.status_code, content_type, response.content)
        self._warm = True  # 1C answered: it is awake, no separate warm-up read is needed
        if not response.content.strip():
            return {}
        if "json" not in content_type:
            # A proxy's login or maintenance page answered 200 instead of 1C.
            raise unavailable(
                _("вместо данных 1С пришла страница веб-сервера"),
                response.text[:500],
                response.status_code,
            )
        try:
            return response.json()
        except ValueError as exc:
            raise unavailable(
                _("ответ 1С повреждён (не JSON)"), response.text[:500], response.status_code
            ) from exc

    # -- reads

    def service_sets(self) -> set[str]:
        """Names of the entity sets published (the service document)."""
        doc = self.request("GET", "")
        return {item.get("name") or item.get("url") for item in doc.get("value", [])}

    def query(
        self,
        entity_set: str,
        *,
        filter: str | None = None,  # noqa: A002 - the OData option's name
        select: list[str] | None = None,
        orderby: str | None = None,
        top: int | None = None,
        skip: int | None = None,
        expand: str | None = None,
    ) -> list[dict]:
        params = {
            "$filter": filter,
            "$select": ",".join(select) if select else None,
            "$orderby": orderby,
            "$top": top,
            "$skip": skip or None,
            "$expand": expand,
        }
        return self.request("GET", entity_path(entity_set), params=params).get("value", [])

    def iter_all(
        self,
        entity_set: str,
        *,
        filter: str | None = None,  # noqa: A002
        select: list[str] | None = None,
        orderby: str = "Ref_Key",
        page_size: int = 500,
    ) -> Iterator[dict]:
        """Every matching row, page by page. A stable `$orderby` keeps pages from overlapping."""
        skip = 0
        while True:
            page = self.query(
                entity_set, filter=filter, select=select, orderby=orderby, top=page_size, skip=skip
            )
            yield from page
            if len(page) < page_size:
                return
            skip += page_size

    def get(self, entity_set: str, ref_key: str, *, select: list[str] | None = None) -> dict:
        params = {"$select": ",".join(select)} if select else None
        return self.request("GET", entity_path(entity_set, ref_key), params=params)

    def first(self, entity_set: str, **kwargs) -> dict | None:
        rows = self.query(entity_set, top=1, **kwargs)
        return rows[0] if rows else None

    # -- writes

    def warm_up(self) -> None:
        """A cheap read before the first write of this client.

        A cold 1C can take longer than the timeout on its first request; if that request were a
        write, we could not tell whether it happened. Waking 1C with a read keeps writes fast
        and their timeouts rare (retries still look up before creating). Any earlier successful
        request already woke it, so find-or-create operations never pay for this read.
        """
        if self._warm:
            return
        self.query(self.warmup_set, select=["Ref_Key"], top=1)
        self._warm = True

    def create(self, entity_set: str, body: dict) -> dict:
        self.warm_up()
        return self.request("POST", entity_path(entity_set), body=body)

    def update(self, entity_set: str, ref_key: str, body: dict) -> dict:
        self.warm_up()
        return self.request("PATCH", entity_path(entity_set, ref_key), body=body)

    def post_document(self, entity_set: str, ref_key: str) -> None:
        """Post (провести) a document; a failed posting comes back as code -1."""
        self.warm_up()
        self.request(
            "POST",
            entity_path(entity_set, ref_key, "Post"),
            params={"PostingModeOperational": "false"},
        )
