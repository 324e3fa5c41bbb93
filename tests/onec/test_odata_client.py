import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest

from onec.errors import OneCAuthError
from onec.odata import (
    Guid,
    ODataClient,
    as_decimal,
    as_int,
    encode_query,
    literal,
    numbered,
    odata_filter,
)
from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD

TRICKY_NAME = 'ООО "Рога & Копыта" д\'Артаньян'


def _client(sb, **kwargs) -> ODataClient:
    return ODataClient(sb.url, DEMO_LOGIN, DEMO_PASSWORD, **kwargs)


def test_it_writes_v3_literals():
    ref = uuid.uuid4()
    assert literal("д'Артаньян") == "'д''Артаньян'"
    assert literal(Guid(str(ref))) == f"guid'{ref}'"
    assert literal(datetime(2026, 2, 1, 10, 5, 7, 123)) == "datetime'2026-02-01T10:05:07'"
    assert literal(date(2026, 2, 1)) == "datetime'2026-02-01T00:00:00'"
    assert literal(False) == "false"
    assert literal(None) == "null"
    assert odata_filter("ИНН eq {} and КПП eq {}", "1", "2") == "ИНН eq '1' and КПП eq '2'"


def test_it_encodes_spaces_as_percent_20_and_ampersands_inside_values():
    query = encode_query({"$filter": "Description eq 'A & B+C'"})
    assert "+" not in query
    assert "%20" in query
    assert "%26" in query and "%2B" in query
    assert query.count("&") == 0


def test_it_parses_int64_strings_and_numbers_row_lines():
    assert as_int("12") == 12
    assert as_decimal("4999.99") == Decimal("4999.99")
    rows = numbered([{"a": 1}, {"a": 2}])
    assert [r["LineNumber"] for r in rows] == ["1", "2"]


def test_it_finds_a_counterparty_named_with_quotes_ampersand_and_apostrophe(onec_sandbox):
    client = _client(onec_sandbox)
    created = client.create(
        "Catalog_Контрагенты", {"Description": TRICKY_NAME, "ИНН": "5482199356"}
    )
    rows = client.query(
        "Catalog_Контрагенты", filter=odata_filter("Description eq {}", TRICKY_NAME)
    )
    assert [r["Ref_Key"] for r in rows] == [created["Ref_Key"]]
    assert rows[0]["Description"] == TRICKY_NAME


def test_it_logs_in_with_a_cyrillic_login(onec_sandbox):
    assert "Catalog_Контрагенты" in _client(onec_sandbox).service_sets()


def test_it_reports_a_wrong_password(onec_sandbox):
    client = ODataClient(onec_sandbox.url, DEMO_LOGIN, "wrong")
    with pytest.raises(OneCAuthError) as info:
        client.service_sets()
    assert not info.value.retryable
    assert "логин или пароль" in info.value.message_for_user


def test_it_pages_through_a_set_without_gaps_or_repeats(onec_sandbox):
    client = _client(onec_sandbox)
    everything = client.query("Catalog_Номенклатура")
    onec_sandbox.reset_stats()
    paged = list(client.iter_all("Catalog_Номенклатура", page_size=2))
    assert sorted(r["Ref_Key"] for r in paged) == sorted(r["Ref_Key"] for r in everything)
    assert len(paged) == len({r["Ref_Key"] for r in paged})
    assert onec_sandbox.stats["total"] >= len(everything) // 2


def test_it_wakes_1c_with_a_read_before_the_first_write(onec_sandbox):
    client = _client(onec_sandbox)
    onec_sandbox.reset_stats()
    client.create("Catalog_Контрагенты", {"Description": "Первый"})
    client.create("Catalog_Контрагенты", {"Description": "Второй"})
    by_method = onec_sandbox.stats["by_method"]
    assert by_method.get("GET") == 1
    assert by_method.get("POST") == 2
