"""`batch`: many sub-calls in one HTTP request, one drop in the bucket.

Mirrors the portal's own implementation (bitrix `rest` module, CRestProvider::methodsBatch and
CRestUtil::ParseBatchQuery): each command's query string is parsed first, then every value is
searched for `$result[key][FIELD]`-style references (also `$next`, `$total`, `$time`, `$error`).
A value that IS a reference becomes the referenced value whatever its type (a list too); a
reference inside a longer string is replaced only when the referenced value is a string,
otherwise the text stays as it was. A missing key stops the walk at the last node found. Only
the first 50 commands run; the rest fail one by one with ERROR_BATCH_LENGTH_EXCEEDED (the batch
itself answers 200). Failing sub-calls land in `result_error`; `halt=1` stops at the first.
"""

import re

from sandbox.bitrix24.params import as_dict, parse_query_string
from sandbox.bitrix24.rest import method

MAX_COMMANDS = 50
_REFERENCE = re.compile(r"\$(result|next|total|time|error)(\S*)", re.IGNORECASE)
_PATH = re.compile(r"\[([^\]]+)\]")
_MISSING = object()
LENGTH_EXCEEDED = {
    "error": "ERROR_BATCH_LENGTH_EXCEEDED",
    "error_description": "Max batch length exceeded",
}
NOT_ALLOWED = {
    "error": "ERROR_BATCH_METHOD_NOT_ALLOWED",
    "error_description": "Method is not allowed for batch usage",
}


def _child(node, key: str):
    """PHP's isset($node[$key]): present and not null."""
    if isinstance(node, dict):
        value = node.get(key, _MISSING)
    elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
        value = node[int(key)]
    else:
        return _MISSING
    return _MISSING if value is None else value


def _resolve(value: str, sources: dict):
    for match in _REFERENCE.finditer(value):
        path = _PATH.findall(match.group(2))
        if not path:
            continue
        node = sources[match.group(1).lower()]
        for key in path:
            child = _child(node, key)
            if child is _MISSING:
                break
            node = child
        if match.group(0) == value:
            return node
        if isinstance(node, str):
            value = value.replace(match.group(0), node)
    return value


def _substitute(params, sources):
    if isinstance(params, dict):
        return {k: _substitute(v, sources) for k, v in params.items()}
    if isinstance(params, list):
        return [_substitute(v, sources) for v in params]
    return _resolve(params, sources) if isinstance(params, str) and "$" in params else params


def _php_array(d: dict):
    # PHP encodes an empty array as [], which the batch docs show for empty sections.
    return d if d else []


@method("batch", batch_allowed=False)
def batch(call):
    commands = as_dict(call.param("cmd", {}))
    halt = str(call.param("halt", "0")).lower() in ("1", "true", "y")
    sources = {"result": {}, "next": {}, "total": {}, "time": {}, "error": {}}
    for n, (key, command) in enumerate(commands.items()):
        if n >= MAX_COMMANDS:
            body = dict(LENGTH_EXCEEDED)
        else:
            method_name, _, query = str(command).partition("?")
            params = _substitute(parse_query_string(query), sources)
            _status, body = call.sandbox.execute(method_name, params, call.user_id, in_batch=True)
        if body.get("error") is not None and "result" not in body:
            sources["error"][key] = {
                "error": body["error"],
                "error_description": body.get("error_description", ""),
            }
            if halt:
                break
            continue
        for part in ("result", "next", "total", "time"):
            if part in body:
                sources[part][key] = body[part]
    return {
        "result": _php_array(sources["result"]),
        "result_error": _php_array(sources["error"]),
        "result_total": _php_array(sources["total"]),
        "result_next": _php_array(sources["next"]),
        "result_time": _php_array(sources["time"]),
    }
