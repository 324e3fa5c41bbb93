"""The in-memory infobase: records kept in their OData shape, typed on write like 1C does
(strings truncated, wrong types rejected, references not checked)."""

import base64
import re
import threading
import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation

from .filters import GUID_RE, FilterError, normalize_datetime
from .schema import UNDEFINED_TYPE, ZERO_GUID, EntitySet, Profile


class ODataError(Exception):
    """An error 1C answers with `odata.error` (code as a string, HTTP status)."""

    STATUS = {"-1": 500, "1": 400, "4": 400, "5": 400, "6": 404, "9": 404, "14": 400}
    STATUS |= {"15": 400, "19": 405, "20": 403}

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message

    @property
    def status(self) -> int:
        return self.STATUS.get(self.code, 400)


_ALIAS_SUFFIX = "_RecordType"


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


class Store:
    def __init__(self, profile: Profile):
        self.profile = profile
        self.lock = threading.RLock()
        self.data: dict[str, dict] = {}  # set -> {ref: record}
        self.registers: dict[str, list] = {}
        self._version = 0
        self._codes: dict[str, int] = {}
        for name, es in profile.sets.items():
            if es.kind == "register":
                if not name.endswith(_ALIAS_SUFFIX):
                    self.registers[name] = []
            else:
                self.data[name] = {}

    # -- lookup -------------------------------------------------------------------------------
    def entity_set(self, name: str) -> EntitySet:
        es = self.profile.sets.get(name)
        if es is None:
            raise ODataError("6", f"Ошибка разбора URL: сегмент «{name}» не найден")
        return es

    def rows(self, name: str) -> list[dict]:
        es = self.entity_set(name)
        if es.kind == "register":
            return self.registers[name.removesuffix(_ALIAS_SUFFIX)]
        return list(self.data[name].values())

    def get(self, name: str, ref: str) -> dict | None:
        self.entity_set(name)
        return self.data.get(name, {}).get(str(ref).lower())

    def find_any(self, ref: str) -> tuple[str, dict] | tuple[None, None]:
        ref = str(ref).lower()
        for name, records in self.data.items():
            if ref in records:
                return name, records[ref]
        return None, None

    # -- writes -------------------------------------------------------------------------------
    def next_version(self) -> str:
        self._version += 1
        return base64.b64encode(self._version.to_bytes(8, "big")).decode()

    def create(self, name: str, body: dict, *, ref: str | None = None) -> dict:
        es = self.entity_set(name)
        if es.kind == "register":
            raise ODataError("19", "Метод не разрешен для регистра сведений")
        with self.lock:
            given = body.get("Ref_Key")
            if given is not None:
                if not isinstance(given, str) or not GUID_RE.match(given):
                    raise ODataError("4", "Неверное значение свойства Ref_Key")
                ref = given
            ref = (ref or str(uuid.uuid4())).lower()
            if ref in self.data[name]:
                raise ODataError("15", f"Объект с ключом {ref} уже существует")
            record = _blank(es.all_fields())
            for table in es.tables:
                record[table] = []
            record["Ref_Key"] = ref
            if es.kind == "document":
                record["Date"] = _now()
            self._apply(es, record, body)
            self._fill_defaults(es, record, body)
            record["DataVersion"] = self.next_version()
            self.data[name][ref] = record
            return record

    def update(self, name: str, ref: str, body: dict) -> dict:
        es = self.entity_set(name)
        with self.lock:
            record = self.get(name, ref)
            if record is None:
                raise ODataError("9", "Объект не найден")
            staged = {**record, **{t: list(record[t]) for t in es.tables}}
            self._apply(es, staged, body)
            record.update(staged)
            record["DataVersion"] = self.next_version()
            return record

    def add_register_row(self, name: str, row: dict) -> dict:
        es = self.entity_set(name)
        fields = es.all_fields()
        full = _blank(fields)
        for key, value in row.items():
            full[key] = coerce(key, fields[key], value) if key in fields else value
        with self.lock:
            self.registers[name].append(full)
        return full

    def _apply(self, es: EntitySet, record: dict, body: dict):
        if not isinstance(body, dict):
            raise ODataError("1", "Тело запроса должно быть объектом JSON")
        fields = es.all_fields()
        for key, value in body.items():
            if key in ("Ref_Key", "DataVersion", "Posted", "odata.metadata"):
                continue  # Posted changes only by posting; the rest are the server's
            if key in es.tables:
                record[key] = self._table(es, key, value, record["Ref_Key"])
            elif key in fields:
                record[key] = coerce(key, fields[key], value)
            elif key.endswith("_Type") and fields.get(key[:-5], None) is not None:
                if not isinstance(value, str):
                    raise ODataError("4", f"Неверное значение свойства {key}")
                record[key] = value
            # Unknown properties are ignored silently, as 1C does.

    def _table(self, es: EntitySet, table: str, rows, owner_ref: str) -> list:
        if not isinstance(rows, list):
            raise ODataError("4", f"Неверное значение табличной части {table}")
        spec = es.tables[table]
        result = []
        for index, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise ODataError("4", f"Неверная строка табличной части {table}")
            if "LineNumber" not in row:
                raise ODataError("5", f"Не задано свойство LineNumber в строке {index} ({table})")
            if str(row["LineNumber"]).strip() != str(index):
                raise ODataError(
                    "4",
                    f"Неверное значение LineNumber в строке {index} ({table}): ожидается {index}",
                )
            stored = {"Ref_Key": owner_ref, "LineNumber": str(index), **_blank(spec)}
            for key, value in row.items():
                if key in spec:
                    stored[key] = coerce(key, spec[key], value)
                elif key.endswith("_Type") and key[:-5] in spec and isinstance(value, str):
                    stored[key] = value
            result.append(stored)
        return result

    def _fill_defaults(self, es: EntitySet, record: dict, body: dict):
        if es.kind == "catalog" and not body.get("Code") and not record.get("IsFolder"):
            record["Code"] = self.next_code(es)
        if es.kind == "document" and not body.get("Number"):
            record["Number"] = self.next_number(es.name, record)

    def next_code(self, es: EntitySet) -> str:
        n = self._codes.get(es.name, 0) + 1
        self._codes[es.name] = n
        if es.code_length >= 9:
            return f"00-{n:0{es.code_length - 3}d}"
        return f"{n:0{es.code_length}d}"

    def next_number(self, name: str, record: dict) -> str:
        """1C numbering: per organization, restarting every year, with the org's prefix."""
        org = record.get("Организация_Key", ZERO_GUID)
        org_rec = self.data.get("Catalog_Организации", {}).get(org) or {}
        prefix = (org_rec.get("Префикс") or "00") + "00"
        year = record["Date"][:4]
        highest = 0
        for other in self.data[name].values():
            if other.get("Организация_Key") == org and other["Date"][:4] == year:
                tail = other["Number"].rsplit("-", 1)[-1]
                if tail.isdigit():
                    highest = max(highest, int(tail))
        return f"{prefix}-{highest + 1:06d}"


def _blank(fields: dict) -> dict:
    """Every field at its empty value, as 1C fills what a write leaves out; a composite one is
    `Undefined` until set."""
    record = {key: spec.default() for key, spec in fields.items()}
    record |= {f"{key}_Type": UNDEFINED_TYPE for key, spec in fields.items() if spec.kind == "comp"}
    return record


def printed_number(number: str) -> str:
    """`0000-000012` / `СВ00-000003` -> `12` / `3`, as 1C prints numbers (НомерНаПечать)."""
    tail = number.rsplit("-", 1)[-1]
    return tail.lstrip("0") or "0"


def coerce(key: str, spec, value):
    kind = spec.kind
    bad = ODataError("4", f"Неверное значение свойства {key}")
    if kind in ("str", "enum"):
        if value is None:
            return ""
        if not isinstance(value, str):
            raise bad
        return value[: spec.length] if spec.length else value
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if kind == "num":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise bad
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise bad from exc
    if kind == "date":
        if not isinstance(value, str):
            raise bad
        try:
            return normalize_datetime(re.sub(r"(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", "", value))
        except FilterError as exc:
            raise bad from exc
    if kind in ("ref", "comp"):
        if value is None or value == "":
            return ZERO_GUID
        if not isinstance(value, str) or not GUID_RE.match(value):
            raise bad
        return value.lower()
    raise bad
