"""The client's card from the tax register via DaData «findById/party», by INN.

Used by the wizard to check Bitrix24's requisites against the register (warnings) and to fill
empty fields («Заполнить из DaData»). DaData is optional: when it is down, over quota or not
configured, `find_party` raises `DadataUnavailable` and the wizard works on with a note.

Limits (free tier: 10 000 requests a day, 60 new connections a minute) shape the code: one
HTTP client per process and token, kept alive and reused; answers cached by INN for a day
(not-found answers for an hour, a company may be registered today).
"""

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, replace

import httpx
from dadata.sync import ClientBase, SuggestClient
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from b24app.deal_context import ClientKind, Party
from wizard.requisites import WARNING, Problem, is_valid_inn, normalize_number

log = logging.getLogger(__name__)

DEFAULT_SUGGESTIONS_URL = "https://suggestions.dadata.ru/suggestions/api/4_1/rs/"
DEFAULT_TIMEOUT_SECONDS = 5.0
FOUND_TTL = 24 * 3600
NOT_FOUND_TTL = 3600
_CACHE_VERSION = 1
_MAX_CLIENTS = 64


@dataclass
class CompanyInfo:
    inn: str
    kpp: str = ""
    ogrn: str = ""  # OGRNIP for sole traders
    full_name: str = ""  # name.full_with_opf
    short_name: str = ""  # name.short_with_opf
    address: str = ""  # address.value (for a sole trader often only the city)
    director_name: str = ""  # management.name; a sole trader's own name (fio)
    director_post: str = ""  # management.post, as a sentence («Генеральный директор»)
    status: str = ""  # ACTIVE | LIQUIDATING | LIQUIDATED | BANKRUPT | REORGANIZING
    kind: str = ""  # LEGAL | INDIVIDUAL
    branch_type: str = ""  # MAIN | BRANCH

    @property
    def is_liquidating(self) -> bool:
        return self.status == "LIQUIDATING"

    @property
    def is_liquidated(self) -> bool:
        return self.status == "LIQUIDATED"

    @property
    def client_kind(self) -> ClientKind:
        return ClientKind.SOLE_TRADER if self.kind == "INDIVIDUAL" else ClientKind.COMPANY

    @classmethod
    def from_suggestion(cls, suggestion: dict) -> "CompanyInfo":
        data = suggestion.get("data") or {}
        name = data.get("name") or {}
        management = data.get("management") or {}
        fio = data.get("fio") or {}
        person = " ".join(
            filter(None, (fio.get("surname"), fio.get("name"), fio.get("patronymic")))
        )
        return cls(
            inn=data.get("inn") or "",
            kpp=data.get("kpp") or "",
            ogrn=data.get("ogrn") or "",
            full_name=name.get("full_with_opf") or suggestion.get("unrestricted_value") or "",
            short_name=name.get("short_with_opf") or suggestion.get("value") or "",
            address=(data.get("address") or {}).get("value") or "",
            director_name=management.get("name") or person,
            director_post=_as_sentence(management.get("post") or ""),
            status=(data.get("state") or {}).get("status") or "",
            kind=data.get("type") or "",
            branch_type=data.get("branch_type") or "",
        )


def _as_sentence(text: str) -> str:
    # The register keeps posts in capitals («ГЕНЕРАЛЬНЫЙ ДИРЕКТОР»); contracts need
    # «Генеральный директор» to decline it into «в лице Генерального директора».
    text = " ".join(text.split())
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


class DadataUnavailable(Exception):
    """DaData could not answer: down, timeout, quota (403), bad token (401), not configured.

    `retryable` says whether trying later may help; the message is for the manager.
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class _SuggestClient(SuggestClient):
    # The official client hard-codes its base URL in __init__; tests and self-hosted DaData
    # proxies need another one, so only the constructor is replaced.
    def __init__(self, *, base_url: str, token: str, timeout: float):
        ClientBase.__init__(self, base_url=base_url, token=token, timeout=timeout)


_clients: OrderedDict[tuple, _SuggestClient] = OrderedDict()
_clients_lock = threading.Lock()


def _client(token: str) -> _SuggestClient:
    """One keep-alive client per (URL, token, timeout) per process, the least used dropped."""
    base_url = getattr(settings, "DADATA_SUGGESTIONS_URL", "") or DEFAULT_SUGGESTIONS_URL
    timeout = float(getattr(settings, "DADATA_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    key = (base_url.rstrip("/") + "/", hashlib.sha256(token.encode()).hexdigest(), timeout)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _SuggestClient(base_url=key[0], token=token, timeout=timeout)
            _clients[key] = client
            # An evicted client is not closed: another thread may be using it; its pool goes
            # with the garbage collector.
            while len(_clients) > _MAX_CLIENTS:
                _clients.popitem(last=False)
        _clients.move_to_end(key)
        return client


def _cache_key(inn: str, kpp: str) -> str:
    return f"dadata:party:v{_CACHE_VERSION}:{inn}:{kpp or '-'}"


def find_party(inn: str, *, token: str, kpp: str = "") -> CompanyInfo | None:
    """The register's card for this INN (and KPP, to pick a branch), or None if there is none."""
    inn, kpp = normalize_number(inn), normalize_number(kpp)
    if not is_valid_inn(inn):
        return None  # DaData finds nothing for a number that cannot exist: save the request
    key = _cache_key(inn, kpp)
    cached = cache.get(key)
    if cached is not None:
        return CompanyInfo(**cached["info"]) if cached["info"] else None
    if not token:
        raise DadataUnavailable(
            _("DaData не подключена: укажите ключ API в настройках приложения"), retryable=False
        )
    suggestions = _request(inn, kpp, token)
    info = _pick(suggestions, kpp)
    cache.set(
        key,
        {"info": asdict(info) if info else None},
        FOUND_TTL if info else NOT_FOUND_TTL,
    )
    return info


def _request(inn: str, kpp: str, token: str) -> list[dict]:
    extra = {"kpp": kpp} if kpp else {}
    try:
        suggestions = _client(token).find_by_id("party", inn, count=20, **extra)
    except httpx.HTTPStatusError as exc:
        raise _status_error(exc.response.status_code) from None
    except httpx.TimeoutException:
        log.warning("DaData timed out for findById/party")
        raise DadataUnavailable(
            _("DaData не ответила вовремя — реквизиты не сверены, попробуйте позже"),
            retryable=True,
        ) from None
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        # Refused connections, broken JSON, an HTML page from a proxy: DaData is not there.
        log.warning("DaData unavailable: %s", type(exc).__name__)
        raise DadataUnavailable(
            _("DaData недоступна — реквизиты не сверены, попробуйте позже"), retryable=True
        ) from None
    if not isinstance(suggestions, list):
        raise DadataUnavailable(
            _("DaData недоступна — реквизиты не сверены, попробуйте позже"), retryable=True
        )
    return suggestions


def _status_error(status: int) -> DadataUnavailable:
    log.warning("DaData answered HTTP %s for findById/party", status)
    if status == 401:
        return DadataUnavailable(
            _("DaData не приняла ключ API — проверьте его в настройках приложения"),
            retryable=False,
            status=status,
        )
    if status == 403:
        return DadataUnavailable(
            _(
                "Исчерпан дневной лимит запросов к DaData (или ключ не активирован) — "
                "реквизиты не сверены"
            ),
            retryable=False,
            status=status,
        )
    if status == 429:
        return DadataUnavailable(
            _("Слишком много запросов к DaData — попробуйте через минуту"),
            retryable=True,
            status=status,
        )
    return DadataUnavailable(
        _("DaData ответила ошибкой (HTTP %(status)s) — реквизиты не сверены") % {"status": status},
        retryable=status >= 500,
        status=status,
    )


def _pick(suggestions: list[dict], kpp: str) -> CompanyInfo | None:
    """The branch with this KPP if asked, otherwise the head office (DaData lists it first,
    but a branch may come first after a reorganisation, so look at `branch_type`)."""
    infos = [CompanyInfo.from_suggestion(s) for s in suggestions if isinstance(s, dict)]
    if not infos:
        return None
    if kpp:
        return next((i for i in infos if i.kpp == kpp), infos[0])
    return next((i for i in infos if i.branch_type != "BRANCH"), infos[0])


# --- comparing and filling --------------------------------------------------------------------

_QUOTES = re.compile(r"[«»\"“”„'`]")


def _same_text(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(_QUOTES.sub(" ", s).replace("ё", "е").replace("Ё", "Е").split()).casefold()

    return norm(a) == norm(b)


def compare_with_dadata(party: Party, info: CompanyInfo) -> list[Problem]:
    """Warnings where Bitrix24's requisites differ from the register. Warnings, not errors:
    DaData lags the register by days, and the manager may know better (a fresh change)."""
    problems: list[Problem] = []
    if info.is_liquidated or info.status == "BANKRUPT":
        problems.append(
            Problem(
                "inn",
                "dadata_liquidated",
                _(
                    "По данным ФНС организация ликвидирована или признана банкротом — проверьте, "
                    "можно ли с ней работать"
                ),
                WARNING,
            )
        )
    elif info.is_liquidating or info.status == "REORGANIZING":
        problems.append(
            Problem(
                "inn",
                "dadata_liquidating",
                _("По данным ФНС организация ликвидируется или реорганизуется"),
                WARNING,
            )
        )
    kind = ClientKind(party.kind)
    if info.kind and kind != ClientKind.PERSON and info.client_kind != kind:
        problems.append(
            Problem(
                "inn",
                "dadata_kind",
                _(
                    "По данным ФНС этот ИНН принадлежит %(kind)s — "
                    "проверьте вид реквизита в Битрикс24"
                )
                % {
                    "kind": _("индивидуальному предпринимателю")
                    if info.kind == "INDIVIDUAL"
                    else _("организации")
                },
                WARNING,
            )
        )

    compared = [("full_name", party.full_name, info.full_name, _("Полное наименование"))]
    if kind == ClientKind.COMPANY:
        compared += [
            ("kpp", normalize_number(party.kpp), info.kpp, _("КПП")),
            ("director", party.director, info.director_name, _("Руководитель")),
        ]
    ogrn_label = _("ОГРНИП") if kind == ClientKind.SOLE_TRADER else _("ОГРН")
    compared.append(("ogrn", normalize_number(party.ogrn), info.ogrn, ogrn_label))
    for field, ours, theirs, label in compared:
        if ours and theirs and not _same_text(ours, theirs):
            message = _("%(label)s отличается от данных ФНС: там «%(value)s»") % {
                "label": label,
                "value": theirs,
            }
            problems.append(Problem(field, f"dadata_{field}", message, WARNING))
    return problems


def party_with_dadata_fill(party: Party, info: CompanyInfo) -> Party:
    """A copy with the empty fields taken from the register; filled fields are kept as they
    are (the manager sees differences as warnings and decides)."""
    kind = ClientKind(party.kind)
    changes = {
        "full_name": info.full_name,
        "short_name": info.short_name,
        "ogrn": info.ogrn if kind != ClientKind.PERSON else "",
        "legal_address": info.address,
    }
    if kind == ClientKind.COMPANY:
        changes |= {
            "kpp": info.kpp,
            "director": info.director_name,
            "director_title": info.director_post,
        }
    elif kind == ClientKind.SOLE_TRADER:
        changes["director"] = info.director_name
    fill = {
        name: value
        for name, value in changes.items()
        if value and not (getattr(party, name) or "").strip()
    }
    return replace(party, **fill)
