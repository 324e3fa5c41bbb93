"""DaData lookups against a local server answering like suggestions.dadata.ru does."""

import json
import logging
import socket
import threading
import time

import pytest
from django.core.cache import cache

from b24app.deal_context import BankDetails, ClientKind, Party
from sandbox.server import SandboxServer
from wizard import dadata
from wizard.dadata import CompanyInfo, DadataUnavailable

GOOD_TOKEN = "good-token-0123456789abcdef"


def suggestion(
    *,
    inn,
    kpp="",
    ogrn,
    full,
    short,
    address,
    manager=None,
    post="",
    status="ACTIVE",
    kind="LEGAL",
    branch="MAIN",
    fio=None,
):
    """One `suggestions[]` item in DaData's findById/party shape (fields the app reads, and a
    few it does not, to keep the shape honest)."""
    return {
        "value": short,
        "unrestricted_value": short,
        "data": {
            "kpp": kpp or None,
            "capital": None,
            "management": {"name": manager, "post": post, "disqualified": None}
            if manager
            else None,
            "fio": fio,
            "branch_type": branch if kind == "LEGAL" else None,
            "branch_count": 0,
            "type": kind,
            "state": {
                "status": status,
                "code": None,
                "actuality_date": 1767225600000,
                "registration_date": 1029456000000,
                "liquidation_date": 1735689600000 if status == "LIQUIDATED" else None,
            },
            "opf": {"type": "2014", "code": "12300", "full": full.split(" «")[0], "short": ""},
            "name": {
                "full_with_opf": full,
                "short_with_opf": short,
                "latin": None,
                "full": full,
                "short": short,
            },
            "inn": inn,
            "ogrn": ogrn,
            "okpo": None,
            "okved": "46.65",
            "address": {
                "value": address,
                "unrestricted_value": address,
                "data": {"postal_code": None, "country": "Россия"},
            },
            "phones": None,
            "emails": None,
        },
    }


SBER_HEAD = suggestion(
    inn="7707083893",
    kpp="773601001",
    ogrn="1027700132195",
    full='ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"',
    short="ПАО СБЕРБАНК",
    address="г Москва, ул Вавилова, д 19",
    manager="Греф Герман Оскарович",
    post="ПРЕЗИДЕНТ, ПРЕДСЕДАТЕЛЬ ПРАВЛЕНИЯ",
)
SBER_BRANCH = suggestion(
    inn="7707083893",
    kpp="784243001",
    ogrn="1027700132195",
    full='СЕВЕРО-ЗАПАДНЫЙ БАНК ПАО "СБЕРБАНК РОССИИ"',
    short="СЕВЕРО-ЗАПАДНЫЙ БАНК ПАО СБЕРБАНК",
    address="г Санкт-Петербург, ул Красного Текстильщика, д 2",
    branch="BRANCH",
)
VECTOR = suggestion(
    inn="5096030820",
    kpp="509601001",
    ogrn="1157746601891",
    full="Общество с ограниченной ответственностью «Вектор»",
    short="ООО «Вектор»",
    address="141400, Московская обл., г. Химки, ул. Ленина, д. 3",
    manager="Павлов Дмитрий Олегович",
    post="ГЕНЕРАЛЬНЫЙ ДИРЕКТОР",
)
ROGA_LIQUIDATED = suggestion(
    inn="5482199356",
    kpp="548201001",
    ogrn="1205400971148",
    full='ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОГА И КОПЫТА"',
    short='ООО "РОГА И КОПЫТА"',
    address="г Новосибирск, ул Ленина, д 1",
    manager="Бендер Остап Ибрагимович",
    post="ГЕНЕРАЛЬНЫЙ ДИРЕКТОР",
    status="LIQUIDATED",
)
IVANOV_IP = suggestion(
    inn="784323194819",
    ogrn="320780065075298",
    full="Индивидуальный предприниматель Иванов Иван Иванович",
    short="ИП Иванов Иван Иванович",
    address="г Санкт-Петербург",
    kind="INDIVIDUAL",
    fio={"surname": "Иванов", "name": "Иван", "patronymic": "Иванович"},
)
REGISTER = {
    "7707083893": [SBER_BRANCH, SBER_HEAD],  # a branch first: the head office must still win
    "5096030820": [VECTOR],
    "5482199356": [ROGA_LIQUIDATED],
    "784323194819": [IVANOV_IP],
}


class FakeDadata:
    """findById/party by INN; the token decides how the service misbehaves."""

    def __init__(self):
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Token ")
        with self.lock:
            self.requests.append({"path": environ["PATH_INFO"], "token": token, "body": body})
        if token == "slow-token":
            time.sleep(1.5)
        statuses = {"wrong-token": 401, "over-quota-token": 403, "broken-token": 500}
        if token in statuses:
            status = statuses[token]
            payload = {"family": "CLIENT_ERROR", "reason": "Forbidden", "message": "Error"}
            return self.reply(start_response, status, json.dumps(payload).encode())
        if token == "html-token":
            return self.reply(start_response, 200, b"<html>502 Bad Gateway</html>", "text/html")
        if not environ["PATH_INFO"].endswith("/findById/party"):
            return self.reply(start_response, 404, b"{}")
        found = REGISTER.get(body.get("query"), [])
        if body.get("kpp"):
            found = [s for s in found if s["data"]["kpp"] == body["kpp"]]
        return self.reply(start_response, 200, json.dumps({"suggestions": found}).encode())

    @staticmethod
    def reply(start_response, status, content, content_type="application/json"):
        reason = {200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}
        start_response(
            f"{status} {reason.get(status, 'Error')}",
            [("Content-Type", content_type), ("Content-Length", str(len(content)))],
        )
        return [content]


@pytest.fixture(scope="module")
def dadata_server():
    app = FakeDadata()
    server = SandboxServer(app).start()
    yield server, app
    server.stop()


@pytest.fixture
def fake(dadata_server, settings):
    server, app = dadata_server
    settings.DADATA_SUGGESTIONS_URL = f"{server.url}/suggestions/api/4_1/rs/"
    settings.DADATA_TIMEOUT_SECONDS = 0.5
    cache.clear()
    app.requests.clear()
    yield app
    cache.clear()


def test_it_finds_a_company_by_inn(fake):
    info = dadata.find_party("7707 083 893", token=GOOD_TOKEN)
    assert info.inn == "7707083893"
    assert info.kpp == "773601001"  # the head office, although a branch came first
    assert info.ogrn == "1027700132195"
    assert info.full_name == 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"'
    assert info.short_name == "ПАО СБЕРБАНК"
    assert info.address == "г Москва, ул Вавилова, д 19"
    assert info.director_name == "Греф Герман Оскарович"
    assert info.director_post == "Президент, председатель правления"
    assert (info.status, info.kind, info.branch_type) == ("ACTIVE", "LEGAL", "MAIN")
    assert not info.is_liquidated and not info.is_liquidating
    [request] = fake.requests
    assert request["path"] == "/suggestions/api/4_1/rs/findById/party"
    assert request["token"] == GOOD_TOKEN
    assert request["body"]["query"] == "7707083893"


def test_it_picks_the_branch_with_the_kpp_asked_for(fake):
    info = dadata.find_party("7707083893", token=GOOD_TOKEN, kpp="784243001")
    assert (info.kpp, info.branch_type) == ("784243001", "BRANCH")
    assert fake.requests[0]["body"]["kpp"] == "784243001"


def test_it_returns_none_for_an_inn_nobody_has_and_remembers_that(fake):
    assert dadata.find_party("7736050003", token=GOOD_TOKEN) is None
    assert dadata.find_party("7736050003", token=GOOD_TOKEN) is None
    assert len(fake.requests) == 1


def test_it_asks_dadata_once_per_inn_whoever_asks(fake):
    first = dadata.find_party("5096030820", token=GOOD_TOKEN)
    again = dadata.find_party("5096030820", token="another-portals-token")
    assert again == first
    assert len(fake.requests) == 1


def test_it_does_not_ask_about_an_inn_that_cannot_exist(fake):
    assert dadata.find_party("7707083894", token=GOOD_TOKEN) is None
    assert dadata.find_party("<script>", token=GOOD_TOKEN) is None
    assert fake.requests == []


def test_it_reports_a_liquidated_company(fake):
    info = dadata.find_party("5482199356", token=GOOD_TOKEN)
    assert info.is_liquidated
    problems = dadata.compare_with_dadata(Party(inn="5482199356", kind=ClientKind.COMPANY), info)
    assert [p.code for p in problems] == ["dadata_liquidated"]
    assert problems[0].severity == "warning"
    assert "ликвидирована" in problems[0].message


def test_it_reads_a_sole_trader_with_his_own_name_as_the_signer(fake):
    info = dadata.find_party("784323194819", token=GOOD_TOKEN)
    assert info.client_kind == ClientKind.SOLE_TRADER
    assert info.ogrn == "320780065075298"
    assert info.director_name == "Иванов Иван Иванович"
    assert info.kpp == ""


@pytest.mark.parametrize(
    ("token", "status", "retryable", "words"),
    [
        ("over-quota-token", 403, False, "лимит"),
        ("wrong-token", 401, False, "ключ"),
        ("broken-token", 500, True, "HTTP 500"),
    ],
)
def test_it_says_dadata_is_unavailable_when_it_refuses(
    fake, caplog, token, status, retryable, words
):
    with caplog.at_level(logging.DEBUG), pytest.raises(DadataUnavailable) as raised:
        dadata.find_party("7707083893", token=token)
    assert raised.value.status == status
    assert raised.value.retryable is retryable
    assert words in str(raised.value)
    assert token not in caplog.text  # the key never reaches the log


def test_it_does_not_remember_a_failure_as_not_found(fake):
    with pytest.raises(DadataUnavailable):
        dadata.find_party("5096030820", token="broken-token")
    assert dadata.find_party("5096030820", token=GOOD_TOKEN).kpp == "509601001"


def test_it_gives_up_on_a_slow_dadata(fake):
    with pytest.raises(DadataUnavailable) as raised:
        dadata.find_party("5096030820", token="slow-token")
    assert raised.value.retryable
    assert "не ответила вовремя" in str(raised.value)


def test_it_treats_an_html_page_as_unavailable(fake):
    with pytest.raises(DadataUnavailable) as raised:
        dadata.find_party("5096030820", token="html-token")
    assert raised.value.retryable


def test_it_says_unavailable_when_nothing_listens(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.DADATA_SUGGESTIONS_URL = f"http://127.0.0.1:{port}/suggestions/api/4_1/rs/"
    cache.clear()
    with pytest.raises(DadataUnavailable) as raised:
        dadata.find_party("5096030820", token=GOOD_TOKEN)
    assert raised.value.retryable


def test_it_asks_for_a_key_when_none_is_configured(fake):
    with pytest.raises(DadataUnavailable) as raised:
        dadata.find_party("5096030820", token="")
    assert not raised.value.retryable
    assert "ключ API" in str(raised.value)
    assert fake.requests == []


# --- comparing and filling ----------------------------------------------------------------------


def vector_party(**changes) -> Party:
    fields = {
        "kind": ClientKind.COMPANY,
        "full_name": "Общество с ограниченной ответственностью «Вектор»",
        "inn": "5096030820",
        "kpp": "509601001",
        "ogrn": "1157746601891",
        "director": "Павлов Дмитрий Олегович",
        "director_title": "Генеральный директор",
        "legal_address": "141400, Московская обл., г. Химки, ул. Ленина, д. 3",
        "bank": BankDetails(bik="044525225"),
    }
    return Party(**(fields | changes))


def test_it_finds_no_differences_when_bitrix24_matches_the_register():
    info = CompanyInfo.from_suggestion(VECTOR)
    assert dadata.compare_with_dadata(vector_party(), info) == []
    # Quotes, case and ё do not make a difference.
    same = vector_party(full_name='общество с ограниченной ответственностью "Вектор"')
    assert dadata.compare_with_dadata(same, info) == []


def test_it_warns_where_bitrix24_differs_from_the_register():
    info = CompanyInfo.from_suggestion(VECTOR)
    party = vector_party(kpp="509645001", director="Сидоров Пётр Ильич", ogrn="1157746601880")
    problems = dadata.compare_with_dadata(party, info)
    assert [(p.field, p.severity) for p in problems] == [
        ("kpp", "warning"),
        ("director", "warning"),
        ("ogrn", "warning"),
    ]
    assert "«509601001»" in problems[0].message
    assert "«Павлов Дмитрий Олегович»" in problems[1].message


def test_it_warns_when_the_register_says_the_inn_is_a_sole_traders():
    info = CompanyInfo.from_suggestion(IVANOV_IP)
    problems = dadata.compare_with_dadata(vector_party(inn="784323194819"), info)
    assert "dadata_kind" in [p.code for p in problems]


def test_it_fills_only_the_empty_fields_from_the_register():
    info = CompanyInfo.from_suggestion(VECTOR)
    party = Party(kind=ClientKind.COMPANY, inn="5096030820", director="Павлов Д. О.")
    filled = dadata.party_with_dadata_fill(party, info)
    assert filled.full_name == "Общество с ограниченной ответственностью «Вектор»"
    assert filled.short_name == "ООО «Вектор»"
    assert (filled.kpp, filled.ogrn) == ("509601001", "1157746601891")
    assert filled.legal_address == "141400, Московская обл., г. Химки, ул. Ленина, д. 3"
    assert filled.director == "Павлов Д. О."  # the manager's value stays
    assert filled.director_title == "Генеральный директор"
    assert party.full_name == ""  # the original is untouched


def test_it_fills_a_sole_trader_without_a_kpp():
    info = CompanyInfo.from_suggestion(IVANOV_IP)
    filled = dadata.party_with_dadata_fill(Party(kind=ClientKind.SOLE_TRADER), info)
    assert filled.kpp == ""
    assert filled.ogrn == "320780065075298"
    assert filled.director == "Иванов Иван Иванович"
    assert filled.full_name == "Индивидуальный предприниматель Иванов Иван Иванович"
