"""Bitrix24 posts events as PHP-style form fields: `auth[member_id]=…&data[FIELDS][ID]=…`.

Django's QueryDict keeps such keys flat, so this turns them into nested dicts. Small on purpose;
the sandbox imports it too, so both sides read the same shape.
"""

import re
from urllib.parse import parse_qsl

# `name[a][b][]`: a head, then bracketed segments (an empty segment appends to a list).
_KEY = re.compile(r"^(?P<head>[^\[\]]+)(?P<rest>(?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")

MAX_DEPTH = 8  # deeper keys are refused: nothing Bitrix24 sends nests this far


class PhpFormError(ValueError):
    """The body is not a form we can read (bad encoding, too deep, conflicting keys)."""


def parse_php_form(body: bytes | str, *, max_fields: int = 2000) -> dict:
    """Parse an `application/x-www-form-urlencoded` body with PHP bracket keys.

    Non-UTF-8 bytes are an error, not silently replaced: a garbled token must not compare equal
    to anything.
    """
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PhpFormError("body is not UTF-8") from exc
    try:
        pairs = parse_qsl(
            body,
            keep_blank_values=True,
            max_num_fields=max_fields,
            encoding="utf-8",
            errors="strict",
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise PhpFormError(str(exc)) from exc
    return nest_pairs(pairs)


def nest_pairs(pairs) -> dict:
    """[("a[b]", "1"), ("a[c][]", "2")] -> {"a": {"b": "1", "c": ["2"]}}."""
    result: dict = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if not match:
            # Not bracket syntax (e.g. stray brackets): keep the key as PHP would, verbatim.
            result[key] = value
            continue
        path = [match["head"], *_SEGMENT.findall(match["rest"])]
        if len(path) > MAX_DEPTH:
            raise PhpFormError(f"field nested deeper than {MAX_DEPTH}")
        _assign(result, path, value)
    return result


def _assign(node: dict, path: list[str], value: str) -> None:
    for i, segment in enumerate(path[:-1]):
        following = path[i + 1]
        # A list segment (`[]`) always starts a new element, as in PHP.
        child = node.get(segment) if isinstance(node, dict) else None
        if child is None:
            child = [] if following == "" else {}
            _put(node, segment, child)
        elif not isinstance(child, list if following == "" else dict):
            raise PhpFormError(f"conflicting field {'/'.join(path)}")
        node = child
    _put(node, path[-1], value)


def _put(node, segment: str, value) -> None:
    if isinstance(node, list):
        node.append(value)
    elif segment == "":
        raise PhpFormError("empty key")
    else:
        node[segment] = value
