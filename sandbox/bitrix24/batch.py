"""`batch`: up to 50 sub-calls in one HTTP request, one drop in the bucket.

Like the portal, sub-calls are query strings (`crm.deal.get?id=1`), later ones may reference
earlier results with `$result[key][FIELD]` or `$result[key][0][ID]`, a failing sub-call lands in
`result_error` while the batch itself answers HTTP 200, and `halt=1` stops at the first failure.
"""

import re
import time
from urllib.parse import quote

from sandbox.bitrix24.params import as_dict, parse_query_string
from sandbox.bitrix24.rest import RestError, method

MAX_COMMANDS = 50
_REFERENCE = re.compile(r"\$(result|total|next)((?:\[[^\[\]]*\])+)")
_PARTS = re.compile(r"\[([^\[\]]*)\]")


def _resolve(match, results, totals, nexts) -> str:
    kind, path = match.group(1), _PARTS.findall(match.group(2))
    source = {"result": results, "total": totals, "next": nexts}[kind]
    node = source
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return ""  # the portal substitutes nothing for a missing reference
    if isinstance(node, bool):
        return "1" if node else ""
    if isinstance(node, dict | list):
        return ""
    return quote(str(node if node is not None else ""), safe="")


def _empty_as_list(d: dict):
    # PHP encodes an empty array as [], which the batch docs show for empty sections.
    return d if d else []


@method("batch", batch_allowed=False)
def batch(call):
    commands = as_dict(call.param("cmd", {}))
    if len(commands) > MAX_COMMANDS:
        raise RestError("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
    halt = str(call.param("halt", "0")).lower() in ("1", "true", "y")
    results, errors, totals, nexts, times = {}, {}, {}, {}, {}
    for key, command in commands.items():
        started = time.time()
        method_name, _, query = str(command).partition("?")
        query = _REFERENCE.sub(lambda m: _resolve(m, results, totals, nexts), query)
        params = parse_query_string(query)
        _status, body = call.sandbox.execute(method_name, params, call.user_id, in_batch=True)
        if "error" in body:
            errors[key] = {"error": body["error"], "error_description": body["error_description"]}
            if halt:
                break
            continue
        results[key] = body["result"]
        if "total" in body:
            totals[key] = body["total"]
        if "next" in body:
            nexts[key] = body["next"]
        times[key] = body["time"] | {"start": started}
    return {
        "result": _empty_as_list(results),
        "result_error": _empty_as_list(errors),
        "result_total": _empty_as_list(totals),
        "result_next": _empty_as_list(nexts),
        "result_time": _empty_as_list(times),
    }
