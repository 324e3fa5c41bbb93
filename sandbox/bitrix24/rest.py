"""REST method registry and the list conventions Bitrix24's legacy methods share
(filter with operator prefixes, select, order, `start` paging by 50, `total`/`next`)."""

import time
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.bitrix24.params import as_dict, as_list, get_ci
from sandbox.bitrix24.state import MSK

PAGE_SIZE = 50
METHODS: dict[str, "Method"] = {}


class RestError(Exception):
    def __init__(self, error, description: str, status: int = 400, **extra):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.extra = extra

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description, **self.extra}


def not_found(description: str = "Not found") -> RestError:
    # crm.deal.get & co answer an empty error code with HTTP 400 (errors_catalog.json).
    return RestError("", description, 400)


@dataclass
class Listed:
    """A list answer: the page, plus `total` and `next` at the top level of the response."""

    items: list
    total: int
    next: int | None = None
    wrap: str | None = None  # new-style methods nest the page: {"result": {"products": [...]}}


@dataclass
class Call:
    sandbox: object
    user_id: str
    params: dict
    batch: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def state(self):
        return self.sandbox.state

    def param(self, name, default=None):
        return get_ci(self.params, name, default)

    def fields(self, name="fields") -> dict:
        return as_dict(self.param(name, {}))

    @property
    def is_admin(self) -> bool:
        return self.user_id in self.state.admins


@dataclass
class Method:
    name: str
    handler: object
    batch_allowed: bool = True


def method(*names: str, batch_allowed: bool = True):
    def register(handler):
        for name in names:
            METHODS[name.lower()] = Method(name, handler, batch_allowed)
        return handler

    return register


def time_block(started: float, operating: float = 0.0) -> dict:
    finished = time.time()
    return {
        "start": started,
        "finish": finished,
        "duration": finished - started,
        "processing": finished - started,
        "date_start": datetime.fromtimestamp(started, MSK).replace(microsecond=0).isoformat(),
        "date_finish": datetime.fromtimestamp(finished, MSK).replace(microsecond=0).isoformat(),
        "operating_reset_at": int(started) + 600,
        "operating": operating,
    }


# --- list helpers -------------------------------------------------------------------------

_OPERATORS = (">=", "<=", "!=", "!@", "=", "!", "@", ">", "<", "%")


def _split_operator(key: str) -> tuple[str, str]:
    for op in _OPERATORS:
        if key.startswith(op):
            return op, key[len(op) :]
    return "", key


def _scalar(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None if value is None else str(value)


def _compare(a, b) -> int:
    fa, fb = _scalar(a), _scalar(b)
    if isinstance(fa, float) and isinstance(fb, float):
        return (fa > fb) - (fa < fb)
    sa, sb = "" if a is None else str(a), "" if b is None else str(b)
    return (sa > sb) - (sa < sb)


def _lookup(row: dict, name: str):
    if name in row:
        return row[name]
    lowered = name.lower()
    for key, value in row.items():
        if key.lower() == lowered:
            return value
    return None


def matches(row: dict, filter_: dict) -> bool:
    for raw_key, wanted in filter_.items():
        op, name = _split_operator(raw_key)
        have = _lookup(row, name)
        if op in ("@", "!@") or (op in ("", "=", "!") and isinstance(wanted, list | dict)):
            values = [str(v) for v in as_list(wanted)]
            found = str(have if have is not None else "") in values
            if found == (op in ("!@", "!")):
                return False
        elif op in ("", "="):
            if _compare(have, wanted) != 0 and not (have is None and wanted in ("", None)):
                return False
        elif op in ("!", "!="):
            if _compare(have, wanted) == 0:
                return False
        elif op == "%":
            if str(wanted).lower() not in str(have or "").lower():
                return False
        else:
            c = _compare(have, wanted)
            ok = {">": c > 0, "<": c < 0, ">=": c >= 0, "<=": c <= 0}[op]
            if not ok:
                return False
    return True


def select(row: dict, fields) -> dict:
    fields = [str(f) for f in as_list(fields)]
    if not fields or "*" in fields:
        return {k: v for k, v in row.items() if not k.startswith("_")}
    out = {}
    for f in fields:
        if f == "UF_*":
            out.update({k: v for k, v in row.items() if k.startswith("UF_")})
        else:
            for key in row:
                if key.lower() == f.lower():
                    out[key] = row[key]
    return out


def order_by(rows: list, order: dict) -> list:
    for key, direction in reversed(list(order.items())):
        rows = sorted(
            rows,
            key=lambda r, k=key: (_scalar(_lookup(r, k)) is None, _sort_key(_lookup(r, k))),
            reverse=str(direction).upper() == "DESC",
        )
    return rows


def _sort_key(value):
    s = _scalar(value)
    return (0, s, "") if isinstance(s, float) else (1, 0.0, "" if s is None else s)


def paginate(call: Call, rows: list, *, shape=None, wrap=None, page=PAGE_SIZE) -> Listed:
    """The `start` page of rows already filtered and ordered, with `total` and `next`;
    `shape` turns each row of the page (only) into what the method answers."""
    start = int(call.param("start", 0) or 0)
    if start < 0:  # start=-1 disables counting (fast paging): still the first page
        start = 0
    page_rows = rows[start : start + page]
    if shape is not None:
        page_rows = [shape(r) for r in page_rows]
    nxt = start + page if start + page < len(rows) else None
    return Listed(page_rows, len(rows), nxt, wrap)


def list_rows(call: Call, rows, default_order=("ID", "ASC"), page=PAGE_SIZE) -> Listed:
    filter_ = as_dict(call.param("filter", {}))
    rows = [r for r in rows if matches(r, filter_)]
    order = as_dict(call.param("order", {})) or {default_order[0]: default_order[1]}
    rows = order_by(rows, order)
    fields = call.param("select")
    return paginate(call, rows, shape=lambda r: select(r, fields), page=page)
