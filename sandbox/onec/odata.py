"""The standard OData interface: URL parsing, query options, JSON/Atom output, writes, posting."""

import json
import re
from decimal import Decimal
from urllib.parse import quote
from xml.etree import ElementTree as ET

from sandbox.wsgi import Request, Response, json_response

from .filters import GUID_RE, FilterError, compile_filter, compile_orderby, sort_records
from .store import ODataError

_PATH_RE = re.compile(r"^(?P<set>[^/(]+)(?:\((?P<key>[^)]*)\))?(?:/(?P<action>[^/]+))?$")
_KEY_RE = re.compile(r"^(?:Ref_Key=)?guid'(?P<guid>[^']+)'$")


def to_json(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def error_response(err: ODataError) -> Response:
    body = {"odata.error": {"code": err.code, "message": {"lang": "ru", "value": err.message}}}
    return json_response(body, err.status)


def handle(sb, request: Request, subpath: str, base: str) -> Response:
    try:
        return _dispatch(sb, request, subpath, base)
    except ODataError as err:
        return error_response(err)
    except FilterError as err:
        return error_response(ODataError("14", f"Неправильный формат отбора: {err}"))


def _wants_json(request: Request) -> bool:
    return request.query.get("$format", "").lower() in ("json", "application/json")


def _dispatch(sb, request: Request, subpath: str, base: str) -> Response:
    if subpath in ("", "/"):
        return _service_document(sb, request, base)
    if subpath == "$metadata":
        return _metadata(sb)
    m = _PATH_RE.match(subpath)
    if not m:
        raise ODataError("6", f"Ошибка разбора URL: {subpath}")
    name, key, action = m.group("set"), m.group("key"), m.group("action")
    es = sb.visible_set(name)
    ref = None
    if key is not None:
        km = _KEY_RE.match(key)
        if not km or not GUID_RE.match(km.group("guid")):
            raise ODataError("6", f"Ошибка разбора URL: неверный ключ {key}")
        ref = km.group("guid").lower()

    method = request.method
    if action in ("Post", "Unpost"):
        if method != "POST" or ref is None or es.kind != "document":
            raise ODataError("19", "Метод не разрешен")
        sb.post_document(name, ref, post=action == "Post")
        return json_response({}, 200)
    if action == "$count" and ref is None and method == "GET":
        rows = _query(sb, request, name, es)
        return Response(str(len(rows)), 200, content_type="text/plain; charset=utf-8")
    if action is not None:
        raise ODataError("6", f"Ошибка разбора URL: сегмент «{action}» не поддерживается")

    if method == "GET":
        if ref is None:
            rows = _query(sb, request, name, es)
            return _collection(request, base, name, es, rows)
        record = sb.store.get(name, ref) if es.kind != "register" else None
        if record is None:
            raise ODataError("9", "Объект не найден")
        return _entity(request, base, name, record, status=200)
    if method == "POST" and ref is None:
        record = sb.store.create(name, _body(request))
        sb.after_write(name, record)
        # Headers are latin-1 on the wire: the Cyrillic entity set name goes percent-encoded.
        location = quote(f"{base}{name}(guid'{record['Ref_Key']}')", safe=":/?=()'&$,")
        return _entity(request, base, name, record, status=201, headers=[("Location", location)])
    if method in ("PATCH", "MERGE", "PUT") and ref is not None:
        record = sb.store.update(name, ref, _body(request))
        sb.after_write(name, record)
        return _entity(request, base, name, record, status=200)
    raise ODataError("19", f"Метод {method} не разрешен")


def _body(request: Request) -> dict:
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ODataError("1", f"Ошибка разбора тела запроса: {exc}") from exc
    if not isinstance(body, dict):
        raise ODataError("1", "Тело запроса должно быть объектом JSON")
    return body


def _query(sb, request: Request, name: str, es) -> list[dict]:
    fields = es.property_names()
    q = request.query
    with sb.store.lock:
        rows = sb.store.rows(name)
        if q.get("$filter"):
            predicate = compile_filter(q["$filter"], fields)
            rows = [r for r in rows if predicate(r)]
        if q.get("$orderby"):
            rows = sort_records(rows, compile_orderby(q["$orderby"], fields))
        rows = [dict(r) for r in rows]
    return rows


def _page(request: Request, rows: list) -> list:
    q = request.query
    try:
        skip = int(q.get("$skip", "0") or 0)
        top = int(q["$top"]) if q.get("$top") not in (None, "") else None
    except ValueError as exc:
        raise ODataError("14", "Неверное значение $top/$skip") from exc
    if skip < 0 or (top is not None and top < 0):
        raise ODataError("14", "Неверное значение $top/$skip")
    rows = rows[skip:]
    return rows if top is None else rows[:top]


def _select(request: Request, record: dict, fields: set) -> dict:
    select = request.query.get("$select")
    if not select:
        return record
    wanted = [s.strip() for s in select.split(",") if s.strip()]
    for w in wanted:
        if w not in fields and w != "*":
            raise ODataError("14", f"Неизвестное поле в $select: {w}")
    if "*" in wanted:
        return record
    keep = set(wanted) | {"Ref_Key"}
    return {k: v for k, v in record.items() if k in keep}


def _collection(request, base, name, es, rows) -> Response:
    fields = es.property_names() | set(es.tables)
    count = len(rows)
    page = [_select(request, to_json(r), fields) for r in _page(request, rows)]
    if not _wants_json(request):
        return _atom_feed(base, name, page)
    body = {"odata.metadata": f"{base}$metadata#{name}"}
    if request.query.get("$inlinecount") == "allpages":
        body["odata.count"] = str(count)
    body["value"] = page
    return json_response(body)


def _entity(request, base, name, record, *, status, headers=None) -> Response:
    data = to_json(record)
    if not _wants_json(request):
        resp = _atom_feed(base, name, [data], single=True)
        resp.status = status
        resp.headers = headers or []
        return resp
    body = {"odata.metadata": f"{base}$metadata#{name}/@Element", **data}
    return json_response(body, status, headers)


_ATOM = "http://www.w3.org/2005/Atom"
_D = "http://schemas.microsoft.com/ado/2007/08/dataservices"
_M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"


def _atom_feed(base, name, rows, single=False) -> Response:
    """A minimal but valid Atom feed/entry: what 1C answers without $format=json."""
    ET.register_namespace("", _ATOM)
    ET.register_namespace("d", _D)
    ET.register_namespace("m", _M)

    def entry_el(parent, row):
        entry = ET.SubElement(parent, f"{{{_ATOM}}}entry") if parent is not None else None
        entry = entry if entry is not None else ET.Element(f"{{{_ATOM}}}entry")
        ref = row.get("Ref_Key", "")
        ET.SubElement(entry, f"{{{_ATOM}}}id").text = f"{base}{name}(guid'{ref}')"
        ET.SubElement(entry, f"{{{_ATOM}}}category", term=f"StandardODATA.{name}")
        ET.SubElement(entry, f"{{{_ATOM}}}title", type="text")
        ET.SubElement(entry, f"{{{_ATOM}}}updated").text = "0001-01-01T00:00:00"
        ET.SubElement(ET.SubElement(entry, f"{{{_ATOM}}}author"), f"{{{_ATOM}}}name")
        content = ET.SubElement(entry, f"{{{_ATOM}}}content", type="application/xml")
        props = ET.SubElement(content, f"{{{_M}}}properties")
        for key, value in row.items():
            if isinstance(value, list):
                continue
            el = ET.SubElement(props, f"{{{_D}}}{key}")
            el.text = str(value).lower() if isinstance(value, bool) else str(value)
        return entry

    if single:
        root = entry_el(None, rows[0])
    else:
        root = ET.Element(f"{{{_ATOM}}}feed")
        ET.SubElement(root, f"{{{_ATOM}}}id").text = f"{base}{name}"
        ET.SubElement(root, f"{{{_ATOM}}}title", type="text")
        ET.SubElement(root, f"{{{_ATOM}}}updated").text = "0001-01-01T00:00:00"
        for row in rows:
            entry_el(root, row)
    xml = b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="utf-8")
    return Response(xml, 200, content_type="application/atom+xml;type=feed;charset=utf-8")


def _service_document(sb, request, base) -> Response:
    names = sb.visible_set_names()
    if _wants_json(request):
        return json_response(
            {"odata.metadata": f"{base}$metadata", "value": [{"name": n, "url": n} for n in names]}
        )
    ET.register_namespace("", "http://www.w3.org/2007/app")
    app = "http://www.w3.org/2007/app"
    root = ET.Element(f"{{{app}}}service")
    ws = ET.SubElement(root, f"{{{app}}}workspace")
    for n in names:
        coll = ET.SubElement(ws, f"{{{app}}}collection", href=n)
        ET.SubElement(coll, f"{{{_ATOM}}}title").text = n
    xml = b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="utf-8")
    return Response(xml, 200, content_type="application/xml;charset=utf-8")


_EDM = {"str": "Edm.String", "bool": "Edm.Boolean", "num": "Edm.Double", "date": "Edm.DateTime"}
_EDM |= {"ref": "Edm.Guid", "comp": "Edm.String", "enum": "Edm.String"}


def _metadata(sb) -> Response:
    edmx = "http://schemas.microsoft.com/ado/2007/06/edmx"
    edm = "http://schemas.microsoft.com/ado/2009/11/edm"
    root = ET.Element(f"{{{edmx}}}Edmx", Version="1.0")
    services = ET.SubElement(root, f"{{{edmx}}}DataServices")
    schema = ET.SubElement(services, f"{{{edm}}}Schema", Namespace="StandardODATA")
    container = ET.SubElement(
        schema, f"{{{edm}}}EntityContainer", Name="EnterpriseV8", IsDefaultEntityContainer="true"
    )
    for name in sb.visible_set_names():
        es = sb.profile.sets[name]
        etype = ET.SubElement(schema, f"{{{edm}}}EntityType", Name=name)
        for key, spec in es.all_fields().items():
            ET.SubElement(etype, f"{{{edm}}}Property", Name=key, Type=_EDM[spec.kind])
            if spec.kind == "comp":
                ET.SubElement(etype, f"{{{edm}}}Property", Name=f"{key}_Type", Type="Edm.String")
        for table in es.tables:
            ET.SubElement(
                etype,
                f"{{{edm}}}Property",
                Name=table,
                Type=f"Collection(StandardODATA.{name}_{table}_RowType)",
            )
        ET.SubElement(
            container, f"{{{edm}}}EntitySet", Name=name, EntityType=f"StandardODATA.{name}"
        )
    xml = b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="utf-8")
    return Response(xml, 200, content_type="application/xml;charset=utf-8")
