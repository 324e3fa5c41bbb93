"""Client of the docs1c print service (the protocol is onec/print_service.yaml)."""

import logging
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

import requests
from django.utils.translation import gettext as _

from .errors import (
    OneCAuthError,
    OneCBadRequest,
    OneCBusinessError,
    OneCError,
    OneCNotFound,
    error_from_response,
    scrub,
    unavailable,
)
from .odata import CONNECT_TIMEOUT, DEFAULT_TIMEOUT, basic_auth_header

log = logging.getLogger("onec.print")

PING_PATH = "/v1/ping"
PRINT_PATH = "/v1/print/{entity_set}/{ref_key}"
FORMATS = ("pdf", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class PingInfo:
    service: str
    version: str
    configuration_name: str
    configuration_version: str
    platform: str
    forms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PrintedForm:
    content: bytes
    format: str
    filename: str
    number: str  # as printed: no prefix, no leading zeros
    date: str  # YYYY-MM-DD


class PrintClient:
    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        root: str = "docs1c",
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ):
        base = base_url if base_url.endswith("/") else base_url + "/"
        self.service_url = f"{base}hs/{quote(root or 'docs1c', safe='')}"
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = basic_auth_header(username, password)
        self.request_count = 0

    def ping(self) -> PingInfo:
        response = self._get(PING_PATH, {})
        try:
            data = response.json()
            configuration = data.get("configuration") or {}
            return PingInfo(
                service=str(data["service"]),
                version=str(data["version"]),
                configuration_name=str(configuration.get("name", "")),
                configuration_version=str(configuration.get("version", "")),
                platform=str(data.get("platform", "")),
                forms=list(data.get("forms") or []),
            )
        except (ValueError, KeyError, AttributeError, TypeError) as exc:
            raise unavailable(
                _("сервис печати ответил не по протоколу"), response.text[:500]
            ) from exc

    def print_form(
        self,
        entity_set: str,
        ref_key: str,
        *,
        format: str = "pdf",  # noqa: A002 - the protocol's parameter name
        stamp: bool = False,
        form: str = "invoice",
    ) -> PrintedForm:
        if format not in FORMATS:
            raise ValueError(f"unknown print format {format!r}")
        path = PRINT_PATH.format(
            entity_set=quote(entity_set, safe=""), ref_key=uuid.UUID(str(ref_key))
        )
        params = {"form": form, "format": format, "stamp": "true" if stamp else "false"}
        response = self._get(path, params)
        if not response.content:
            raise unavailable(_("сервис печати вернул пустой файл"))
        return PrintedForm(
            content=response.content,
            format=format,
            filename=_filename(response.headers.get("Content-Disposition", ""))
            or f"invoice.{format}",
            number=printed_number(response.headers.get("X-Document-Number", "")),
            date=response.headers.get("X-Document-Date", ""),
        )

    def _get(self, path: str, params: dict) -> requests.Response:
        query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in params.items())
        url = f"{self.service_url}{path}" + (f"?{query}" if query else "")
        self.request_count += 1
        try:
            response = self.session.get(
                url, timeout=(CONNECT_TIMEOUT, self.timeout), allow_redirects=False
            )
        except requests.Timeout as exc:
            raise unavailable(_("сервис печати 1С не ответил вовремя"), repr(exc)) from exc
        except requests.RequestException as exc:
            raise unavailable(_("нет соединения с сервером 1С"), repr(exc)) from exc
        if response.status_code >= 300:
            raise _print_error(response)
        return response


def _print_error(response: requests.Response) -> OneCError:
    status = response.status_code
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error.get("message", ""))
    except (ValueError, KeyError, TypeError):
        # Not the service speaking: the web server (401, 404 of an unpublished service, 5xx).
        if status == 404:
            return OneCNotFound(
                _("Сервис печати не опубликован в 1С (нет HTTP-сервиса docs1c)"),
                response.text[:500],
                status=status,
            )
        return error_from_response(
            status, response.headers.get("Content-Type", ""), response.content
        )
    detail = scrub(message)
    if status == 401:
        return OneCAuthError(_("1С не приняла логин или пароль."), message, code, status=status)
    if code == "not_found" or status == 404:
        text = _("Документ не найден в 1С")
        return OneCNotFound(f"{text}: {detail}" if detail else text, message, code, status=status)
    if code == "not_posted" or status == 409:
        text = _("Документ в 1С не проведён, его нельзя напечатать")
        return OneCBusinessError(text, message, code, status=status)
    if code == "bad_request" or status == 400:
        text = _("Сервис печати не принял запрос")
        return OneCBadRequest(f"{text}: {detail}" if detail else text, message, code, status)
    if status >= 500 and code != "print_failed":
        return error_from_response(
            status, response.headers.get("Content-Type", ""), response.content
        )
    text = _("1С не смогла сформировать печатную форму")
    return OneCBusinessError(f"{text}: {detail}" if detail else text, message, code, status=status)


_FILENAME_STAR = re.compile(r"filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)")
_FILENAME = re.compile(r'filename\s*=\s*"?([^";]+)"?')


def _filename(disposition: str) -> str:
    match = _FILENAME_STAR.search(disposition)
    if match:
        return unquote(match.group(1).strip())
    match = _FILENAME.search(disposition)
    return match.group(1).strip() if match else ""


def printed_number(number: str) -> str:
    """`0000-000012` → `12`, `БП-000045` → `45`, as 1C prints invoice numbers.

    Keeps the trailing number without its prefix (letters, the infobase prefix) and leading
    zeros; a number that has no digits stays as it is.
    """
    number = (number or "").strip()
    match = re.search(r"(\d+)\D*$", number)
    if not match:
        return number
    digits = match.group(1).lstrip("0")
    return digits or "0"
