import pytest

from onec.errors import (
    OneCAccessDenied,
    OneCBadRequest,
    OneCBusinessError,
    OneCNotFound,
    OneCUnavailable,
    scrub,
)
from onec.odata import ODataClient
from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD

from .helpers import StubServer

INVOICE = "Document_СчетНаОплатуПокупателю"


def _client(url, **kwargs) -> ODataClient:
    return ODataClient(url, DEMO_LOGIN, DEMO_PASSWORD, **kwargs)


def test_it_maps_a_bad_filter_to_a_permanent_bad_request(onec_sandbox):
    with pytest.raises(OneCBadRequest) as info:
        _client(onec_sandbox.url).query("Catalog_Контрагенты", filter="НетТакогоПоля eq 1")
    assert info.value.code == "14"
    assert not info.value.retryable


def test_it_maps_an_unknown_entity_set_to_bad_request_and_a_missing_object_to_not_found(
    onec_sandbox,
):
    client = _client(onec_sandbox.url)
    with pytest.raises(OneCBadRequest) as unknown:
        client.query("Catalog_НетТакого")
    assert unknown.value.code == "6" and not unknown.value.retryable
    with pytest.raises(OneCNotFound) as missing:
        client.get("Catalog_Контрагенты", "00000000-0000-0000-0000-0000000000aa")
    assert missing.value.code == "9"


def test_it_maps_a_failed_posting_to_a_business_error_without_request_echoes(onec_sandbox):
    client = _client(onec_sandbox.url)
    doc = client.create(INVOICE, {"Комментарий": "пустой счёт"})
    with pytest.raises(OneCBusinessError) as info:
        client.post_document(INVOICE, doc["Ref_Key"])
    error = info.value
    assert error.code == "-1" and not error.retryable
    assert "не заполнен" in error.message_for_user
    assert doc["Ref_Key"] not in error.message_for_user
    assert "http" not in error.message_for_user


def test_it_maps_hidden_rights_to_access_denied(onec_sandbox):
    onec_sandbox.knobs.forbidden_sets = {"Catalog_Контрагенты"}
    with pytest.raises(OneCAccessDenied) as info:
        _client(onec_sandbox.url).query("Catalog_Контрагенты")
    assert info.value.code == "20" and not info.value.retryable


def test_it_treats_a_down_server_as_retryable(onec_sandbox):
    onec_sandbox.knobs.down = True
    with pytest.raises(OneCUnavailable) as info:
        _client(onec_sandbox.url).query("Catalog_Контрагенты")
    assert info.value.retryable and info.value.status == 503


def test_it_treats_a_slow_answer_as_a_retryable_timeout(onec_sandbox):
    onec_sandbox.knobs.latency = 1.0
    with pytest.raises(OneCUnavailable) as info:
        _client(onec_sandbox.url, timeout=0.2).query("Catalog_Валюты")
    assert info.value.retryable
    assert "вовремя" in info.value.message_for_user


def test_it_treats_an_html_502_from_a_proxy_as_retryable():
    stub = StubServer("502 Bad Gateway", "text/html", b"<html><h1>502 Bad Gateway</h1></html>")
    try:
        with pytest.raises(OneCUnavailable) as info:
            _client(stub.url).query("Catalog_Валюты")
    finally:
        stub.stop()
    assert info.value.retryable and info.value.status == 502
    assert "<html>" not in info.value.message_for_user


def test_it_treats_malformed_json_as_retryable_with_a_clear_message():
    stub = StubServer("200 OK", "application/json", b'{"value": [{"Ref_Key": ')
    try:
        with pytest.raises(OneCUnavailable) as info:
            _client(stub.url).query("Catalog_Валюты")
    finally:
        stub.stop()
    assert info.value.retryable
    assert "не JSON" in info.value.message_for_user


def test_it_treats_a_login_page_instead_of_json_as_unavailable():
    stub = StubServer("200 OK", "text/html; charset=utf-8", "<form>Вход</form>".encode())
    try:
        with pytest.raises(OneCUnavailable):
            _client(stub.url).query("Catalog_Валюты")
    finally:
        stub.stop()


def test_it_scrubs_urls_guids_and_json_from_messages():
    raw = (
        "Ошибка при записи http://1c.local/base/odata/standard.odata/Catalog_X?$filter=a "
        'объекта guid\'0f8fad5b-d9cb-469f-a165-70867728950e\' тело {"ИНН": "7707", '
        '"Товары": [{"a": 1}]}: Не заполнено поле Контрагент'
    )
    text = scrub(raw)
    assert "http" not in text and "0f8fad5b" not in text and "7707" not in text
    assert "Не заполнено поле Контрагент" in text
