"""Request parameters the way Bitrix24 (PHP) reads them.

PHP turns `fields[TITLE]=x&cmd[a]=crm.deal.get?id=1&ids[]=1&ids[]=2` into nested arrays; Bitrix24
merges the query string, the form body and a JSON body into one parameter set. `urllib` has no
such parser, so this small one rebuilds the nesting (lists for `[]` and for dense 0..n keys, as a
PHP array with those keys would be JSON-encoded).
"""

import json
import re
from urllib.parse import parse_qsl

_KEY_PART = re.compile(r"\[([^\]]*)\]")


def _split_key(raw: str) -> list[str]:
    head, bracket, _ = raw.partition("[")
    if not bracket or not raw.endswith("]"):
        return [raw]
    return [head, *_KEY_PART.findall(raw[len(head) :])]


def _listify(node):
    """Dicts keyed "0".."n-1" become lists, like PHP's json_encode of a packed array."""
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        keys = list(node)
        if keys and keys == [str(i) for i in range(len(keys))]:
            return [node[k] for k in keys]
        return node
    return node


def nest_pairs(pairs) -> dict:
    """[("fields[TITLE]", "x"), ("ids[]", "1")] -> {"fields": {"TITLE": "x"}, "ids": ["1"]}."""
    root: dict = {}
    for raw_key, value in pairs:
        parts = _split_key(raw_key)
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":  # `ids[]` appends: give it the next free integer key
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    return _listify(root)


def parse_query_string(qs: str) -> dict:
    return nest_pairs(parse_qsl(qs, keep_blank_values=True))


def request_params(request) -> dict:
    """Query, then form or JSON body on top (the body wins, as `$_REQUEST` order does)."""
    params = parse_query_string(request.environ.get("QUERY_STRING", ""))
    if request.body:
        if request.content_type == "application/json":
            try:
                body = request.json()
            except (ValueError, UnicodeDecodeError):
                body = None
            if isinstance(body, dict):
                params.update(body)
        else:
            params.update(nest_pairs(request.form_pairs()))
    return params


def flatten_pairs(data, prefix: str = "") -> list[tuple[str, str]]:
    """The inverse: nested data -> bracketed form pairs, as Bitrix24 posts event payloads."""
    pairs: list[tuple[str, str]] = []
    items = enumerate(data) if isinstance(data, list) else data.items()
    for key, value in items:
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict | list):
            pairs.extend(flatten_pairs(value, name))
        elif value is None:
            pairs.append((name, ""))
        elif isinstance(value, bool):
            pairs.append((name, "1" if value else "0"))
        else:
            pairs.append((name, str(value)))
    return pairs


def as_dict(value) -> dict:
    """Bitrix24 accepts `fields` as an object or as a JSON-encoded string in places."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    return value if isinstance(value, dict) else {}


def as_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    return [value]


def get_ci(params: dict, name: str, default=None):
    """Bitrix24 reads most top-level parameter names case-insensitively (`id`/`ID`)."""
    if name in params:
        return params[name]
    lowered = name.lower()
    for key, value in params.items():
        if key.lower() == lowered:
            return value
    return default
