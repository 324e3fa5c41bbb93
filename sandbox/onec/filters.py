"""OData v3 `$filter` and `$orderby` as 1C understands them, compiled to Python predicates.

A small recursive-descent parser: the grammar 1C accepts is tiny, and a malformed expression must
fail the way 1C fails (400, code 14) rather than match everything.
"""

import re
from decimal import Decimal, InvalidOperation

GUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?$")
_TOKEN_RE = re.compile(
    r"""\s*(?:
      (?P<typed>(?:guid|datetime|datetimeoffset|time|X|binary)'(?:[^']|'')*')
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>-?\d+(?:\.\d+)?[mMdDlLfF]?)
    | (?P<punct>[(),])
    | (?P<name>[^\W\d][\w/]*)
    )""",
    re.VERBOSE | re.UNICODE,
)
_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"substringof", "startswith", "endswith", "tolower", "toupper", "length", "trim"}


class FilterError(ValueError):
    pass


def _tokenize(text: str) -> list[tuple[str, object]]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise FilterError(f"Неожиданный символ в позиции {pos}")
        pos = m.end()
        kind = m.lastgroup
        raw = m.group(kind)
        if kind == "typed":
            prefix, _, rest = raw.partition("'")
            value = rest[:-1].replace("''", "'")
            tokens.append(("lit", _typed_literal(prefix, value)))
        elif kind == "string":
            tokens.append(("lit", raw[1:-1].replace("''", "'")))
        elif kind == "number":
            tokens.append(("lit", Decimal(raw.rstrip("mMdDlLfF"))))
        elif kind == "punct":
            tokens.append((raw, raw))
        elif raw in ("true", "false"):
            tokens.append(("lit", raw == "true"))
        elif raw == "null":
            tokens.append(("lit", None))
        else:
            tokens.append(("name", raw))
    return tokens


def _typed_literal(prefix: str, value: str):
    if prefix == "guid":
        if not GUID_RE.match(value):
            raise FilterError(f"Неверный литерал guid'{value}'")
        return value.lower()
    if prefix == "datetime":
        return normalize_datetime(value)
    raise FilterError(f"Неподдерживаемый литерал {prefix}")


def normalize_datetime(value: str) -> str:
    m = _DATETIME_RE.match(value.strip())
    if not m:
        raise FilterError(f"Неверный литерал datetime'{value}'")
    date, hm, sec = m.groups()
    return f"{date}T{hm or '00:00'}{sec or ':00'}"


class _Parser:
    def __init__(self, tokens, fields: set):
        self.tokens, self.i, self.fields = tokens, 0, fields

    def peek(self, offset=0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else (None, None)

    def take(self, kind=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind):
            raise FilterError(f"Ожидалось {kind or 'выражение'}")
        self.i += 1
        return tok

    def is_word(self, word):
        return self.peek() == ("name", word)

    def parse(self):
        node = self.expr()
        if self.peek()[0] is not None:
            raise FilterError(f"Лишний фрагмент: {self.peek()[1]}")
        return node

    def expr(self):
        node = self.and_expr()
        while self.is_word("or"):
            self.i += 1
            left, right = node, self.and_expr()
            node = lambda r, a=left, b=right: a(r) is True or b(r) is True  # noqa: E731
        return node

    def and_expr(self):
        node = self.not_expr()
        while self.is_word("and"):
            self.i += 1
            left, right = node, self.not_expr()
            node = lambda r, a=left, b=right: a(r) is True and b(r) is True  # noqa: E731
        return node

    def not_expr(self):
        if self.is_word("not"):
            self.i += 1
            inner = self.not_expr()
            return lambda r: inner(r) is not True
        return self.comparison()

    def comparison(self):
        left = self.operand()
        kind, word = self.peek()
        if kind == "name" and word in _COMPARISONS:
            self.i += 1
            right = self.operand()
            return lambda r: compare(word, left(r), right(r))
        return left

    def operand(self):
        kind, value = self.take()
        if kind == "(":
            node = self.expr()
            self.take(")")
            return node
        if kind == "lit":
            return lambda r: value
        if kind != "name":
            raise FilterError(f"Неожиданный фрагмент: {value}")
        if self.peek()[0] == "(":
            return self.function(value)
        if value not in self.fields:
            raise FilterError(f"Неизвестное поле: {value}")
        return lambda r: r.get(value)

    def function(self, name):
        if name not in _FUNCTIONS:
            raise FilterError(f"Неизвестная функция: {name}")
        self.take("(")
        args = [self.operand()]
        while self.peek()[0] == ",":
            self.i += 1
            args.append(self.operand())
        self.take(")")
        arity = 2 if name in ("substringof", "startswith", "endswith") else 1
        if len(args) != arity:
            raise FilterError(f"Функция {name}: неверное число параметров")

        def text(fn, r):
            v = fn(r)
            if not isinstance(v, str):
                raise FilterError(f"Функция {name} ожидает строку")
            return v

        if name == "substringof":
            return lambda r: text(args[0], r).lower() in text(args[1], r).lower()
        if name == "startswith":
            return lambda r: text(args[0], r).lower().startswith(text(args[1], r).lower())
        if name == "endswith":
            return lambda r: text(args[0], r).lower().endswith(text(args[1], r).lower())
        if name == "tolower":
            return lambda r: text(args[0], r).lower()
        if name == "toupper":
            return lambda r: text(args[0], r).upper()
        if name == "trim":
            return lambda r: text(args[0], r).strip()
        return lambda r: Decimal(len(text(args[0], r)))


def _comparable(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        if a is None or b is None or (isinstance(a, bool) and isinstance(b, bool)):
            return a, b
        raise FilterError("Несовместимые типы в сравнении")
    if isinstance(a, int | float | Decimal) or isinstance(b, int | float | Decimal):
        if a is None or b is None:
            return a, b
        try:
            return Decimal(str(a)), Decimal(str(b))
        except InvalidOperation as exc:
            raise FilterError("Несовместимые типы в сравнении") from exc
    if isinstance(a, str) and isinstance(b, str) and GUID_RE.match(a) and GUID_RE.match(b):
        return a.lower(), b.lower()
    return a, b


def compare(op, a, b) -> bool:
    a, b = _comparable(a, b)
    if op == "eq":
        return a == b
    if op == "ne":
        return a != b
    if a is None or b is None:
        return False
    try:
        return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]
    except TypeError as exc:
        raise FilterError("Несовместимые типы в сравнении") from exc


def compile_filter(text: str, fields: set):
    """`$filter` text -> predicate(record) -> bool. Raises FilterError (1C code 14)."""
    tokens = _tokenize(text)
    if not tokens:
        raise FilterError("Пустое выражение отбора")
    predicate = _Parser(tokens, fields).parse()

    def safe(record):
        return predicate(record) is True

    return safe


def compile_orderby(text: str, fields: set) -> list[tuple[str, bool]]:
    """`$orderby` text -> [(field, descending)]."""
    keys = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise FilterError(f"Неверное выражение упорядочивания: {part.strip()}")
        if words[0] not in fields:
            raise FilterError(f"Неизвестное поле: {words[0]}")
        keys.append((words[0], len(words) == 2 and words[1] == "desc"))
    return keys


def sort_records(records: list, keys: list[tuple[str, bool]]) -> list:
    def key_of(value):
        if isinstance(value, bool):
            return (0, int(value))
        if isinstance(value, int | float | Decimal):
            return (0, Decimal(str(value)))
        return (1, str(value).lower())

    result = list(records)
    for name, desc in reversed(keys):
        result.sort(key=lambda r, n=name: key_of(r.get(n)), reverse=desc)
    return result
