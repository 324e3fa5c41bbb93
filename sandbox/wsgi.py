"""The few WSGI pieces both sandboxes share: a request wrapper, responses and a router.

Kept tiny on purpose: the sandboxes must not depend on the app's Django settings, since tests run
them in the same process as the app.
"""

import json
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qsl


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    environ: dict = field(repr=False)
    params: dict = field(default_factory=dict)  # path parameters from the router

    @classmethod
    def from_environ(cls, environ) -> "Request":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        # wsgiref decodes the path as latin-1; undo that to get the UTF-8 path (Cyrillic names).
        raw_path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        return cls(environ["REQUEST_METHOD"], raw_path, query, headers, body, environ)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def form_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)


@dataclass
class Response:
    body: bytes | str = b""
    status: int = 200
    headers: list = field(default_factory=list)
    content_type: str = "text/html; charset=utf-8"

    def __call__(self, start_response):
        body = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
        status = f"{self.status} {HTTPStatus(self.status).phrase}"
        headers = [("Content-Type", self.content_type), ("Content-Length", str(len(body)))]
        start_response(status, headers + self.headers)
        return [body]


def json_response(data, status: int = 200, headers=None) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False),
        status,
        headers or [],
        "application/json; charset=utf-8",
    )


class Router:
    """Routes by method and a regex over the path; named groups become `request.params`."""

    def __init__(self):
        self.routes: list[tuple[set, re.Pattern, object]] = []

    def route(self, pattern: str, methods=("GET",)):
        def register(view):
            self.routes.append((set(methods), re.compile(f"^{pattern}$"), view))
            return view

        return register

    def resolve(self, request: Request):
        allowed = False
        for methods, regex, view in self.routes:
            m = regex.match(request.path)
            if m:
                if request.method in methods:
                    request.params = m.groupdict()
                    return view
                allowed = True
        return "method-not-allowed" if allowed else None
