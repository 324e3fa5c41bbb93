"""Typed errors of the 1C connector.

Every failure talking to 1C becomes a `OneCError` that says two things the callers need:
whether a retry can help (`retryable`) and what a manager may read (`message_for_user`).
`raw_message` keeps 1C's own text for the log; it can echo the request (filters, bodies), so it
never reaches the UI.
"""

import json
import re

from django.utils.translation import gettext as _


class OneCError(Exception):
    retryable = False

    def __init__(
        self,
        message_for_user: str,
        raw_message: str = "",
        code: str | None = None,
        retryable: bool | None = None,
        status: int | None = None,
    ):
        super().__init__(message_for_user)
        self.message_for_user = message_for_user
        self.raw_message = raw_message
        self.code = code
        self.status = status
        if retryable is not None:
            self.retryable = retryable

    def __str__(self):
        return self.message_for_user

    def log_text(self) -> str:
        """For the log: class, status, code and 1C's raw words (never shown to users)."""
        return (
            f"{type(self).__name__} status={self.status} code={self.code} "
            f"retryable={self.retryable}: {self.raw_message or self.message_for_user}"
        )


class OneCUnavailable(OneCError):
    """Timeouts, refused connections, 5xx from the web server, 503, HTML or garbage instead of
    JSON: 1C or the proxy in front of it is not answering properly right now."""

    retryable = True


class OneCAuthError(OneCError):
    """The web server refused the login/password (HTTP 401)."""


class OneCNotFound(OneCError):
    """Code 9 / HTTP 404: the object or the entity set is not there (or not published)."""


class OneCBusinessError(OneCError):
    """Code -1: 1C's own handler raised (posting failed, a fill check, a lock...)."""


class OneCBadRequest(OneCError):
    """Codes 1, 4, 5, 6, 14, 15, 19: our request was wrong; resending it changes nothing."""


class OneCAccessDenied(OneCError):
    """Code 20: the 1C user lacks rights for this object."""


# Codes of `odata.error` in 1C's standard OData interface (see shared/reference/README.md).
_CODE_CLASS = {
    "-1": OneCBusinessError,
    "1": OneCBadRequest,
    "4": OneCBadRequest,
    "5": OneCBadRequest,
    "6": OneCBadRequest,
    "9": OneCNotFound,
    "14": OneCBadRequest,
    "15": OneCBadRequest,
    "19": OneCBadRequest,
    "20": OneCAccessDenied,
}


def _user_prefix(cls: type[OneCError]) -> str:
    return {
        OneCBusinessError: _("1С отказалась выполнить операцию"),
        OneCBadRequest: _("1С не приняла запрос"),
        OneCNotFound: _("Объект не найден в 1С"),
        OneCAccessDenied: _("У пользователя 1С нет прав на эту операцию"),
    }.get(cls, _("Ошибка 1С"))


_URL = re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE)
_GUID = re.compile(
    r"(?:guid)?'?\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b'?", re.IGNORECASE
)
# A JSON object or array fragment: 1C may quote the body it failed to read.
_JSON_FRAGMENT = re.compile(r"[\[{][^\[\]{}]*(?:[\[{][^\[\]{}]*[\]}][^\[\]{}]*)*[\]}]")
# An OData path or query part: Catalog_X(...), $filter=..., ?$format=json...
_ODATA_PATH = re.compile(
    r"(?:\b(?:Catalog|Document|InformationRegister|AccumulationRegister|Enum|ChartOfAccounts|"
    r"ChartOfCharacteristicTypes|Constant|ExchangePlan|BusinessProcess|Task)_[^\s»\"]+)"
    r"|(?:[?&]?\$\w+=\S*)",
)
_SPACES = re.compile(r"\s+")
_MAX_USER_DETAIL = 300


def scrub(text: str) -> str:
    """1C's message without request echoes: URLs, GUIDs, JSON, OData paths and queries.

    What remains is 1C's explanation ("Не заполнено поле Контрагент"), fit for a manager.
    """
    text = _URL.sub(" ", text or "")
    for _pass in range(3):  # nested fragments collapse from the inside out
        text = _JSON_FRAGMENT.sub(" ", text)
    text = _ODATA_PATH.sub(" ", text)
    text = _GUID.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" :;,.-\n")
    if len(text) > _MAX_USER_DETAIL:
        text = text[: _MAX_USER_DETAIL - 1].rstrip() + "…"
    return text


def unavailable(reason: str, raw: str = "", status: int | None = None) -> OneCUnavailable:
    return OneCUnavailable(
        _("1С сейчас недоступна: %(reason)s. Попробуйте позже.") % {"reason": reason},
        raw_message=raw,
        status=status,
    )


def error_from_response(status: int, content_type: str, body: bytes) -> OneCError:
    """Map a non-2xx answer of the publication (or the proxy before it) to a typed error."""
    text = body[:4000].decode("utf-8", "replace")
    if status == 401:
        return OneCAuthError(
            _("1С не приняла логин или пароль. Проверьте настройки подключения."),
            raw_message=text[:500],
            status=status,
        )
    payload = _json_or_none(body) if "json" in content_type or body[:1] in (b"{", b"[") else None
    odata_error = payload.get("odata.error") if isinstance(payload, dict) else None
    if status == 503 or (status >= 500 and not odata_error):
        # The web server or a proxy speaks here, not 1C: a restart, an overload, a cold start.
        return unavailable(_("сервер ответил %(status)s") % {"status": status}, text[:500], status)
    if odata_error:
        code = str(odata_error.get("code", "")).strip()
        message = odata_error.get("message")
        raw = message.get("value", "") if isinstance(message, dict) else str(message or "")
        cls = _CODE_CLASS.get(code)
        if cls is None:
            cls = OneCNotFound if status == 404 else OneCBadRequest
            if status == 403:
                cls = OneCAccessDenied
        detail = scrub(raw)
        prefix = _user_prefix(cls)
        return cls(f"{prefix}: {detail}" if detail else prefix, raw, code, status=status)
    if status == 403:
        return OneCAccessDenied(_user_prefix(OneCAccessDenied), text[:500], status=status)
    if status == 404:
        return OneCNotFound(_user_prefix(OneCNotFound), text[:500], status=status)
    if status == 429:
        return unavailable(_("слишком много запросов"), text[:500], status)
    return OneCBadRequest(
        _("1С не приняла запрос (HTTP %(status)s)") % {"status": status}, text[:500], status=status
    )


def _json_or_none(body: bytes):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
