"""Knobs make the sandbox misbehave like a real 1C behind a web server; stats count requests."""

import requests

from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD

AUTH = (DEMO_LOGIN.encode("utf-8"), DEMO_PASSWORD.encode("utf-8"))


def _get(sb, path):
    return requests.get(f"{sb.url}odata/standard.odata/{path}?$format=json", auth=AUTH, timeout=10)


def _control(sb):
    return sb.url.removesuffix("demo/") + "sandbox/"


def test_it_answers_html_503_when_down(onec_sandbox):
    onec_sandbox.knobs.down = True
    resp = _get(onec_sandbox, "Catalog_Валюты")
    assert resp.status_code == 503
    assert resp.headers["Content-Type"].startswith("text/html")


def test_it_fails_randomly_with_html_from_a_proxy(onec_sandbox):
    onec_sandbox.knobs.error_rate = 1.0
    statuses = {_get(onec_sandbox, "Catalog_Валюты").status_code for _ in range(12)}
    assert statuses <= {502, 503} and statuses
    onec_sandbox.knobs.error_rate = 0.0
    assert _get(onec_sandbox, "Catalog_Валюты").status_code == 200


def test_it_hides_and_forbids_entity_sets(onec_sandbox):
    sb = onec_sandbox
    sb.knobs.hidden_sets = {"Catalog_Пользователи"}
    sb.knobs.forbidden_sets = {"Catalog_Банки"}
    assert _get(sb, "Catalog_Пользователи").json()["odata.error"]["code"] == "6"
    assert _get(sb, "Catalog_Банки").status_code == 403
    names = {v["name"] for v in _get(sb, "").json()["value"]}
    assert "Catalog_Пользователи" not in names and "Catalog_Контрагенты" in names


def test_it_is_driven_over_http_and_counts_requests(onec_sandbox):
    sb = onec_sandbox
    knobs = requests.post(_control(sb) + "knobs", json={"down": True, "latency": 0}, timeout=10)
    assert knobs.json()["down"] is True
    assert _get(sb, "Catalog_Валюты").status_code == 503
    requests.post(_control(sb) + "knobs", json={"down": False}, timeout=10)
    requests.delete(_control(sb) + "stats", timeout=10)
    _get(sb, "Catalog_Валюты")
    _get(sb, "Catalog_Валюты")
    stats = requests.get(_control(sb) + "stats", timeout=10).json()
    assert stats["by_request"] == {"GET Catalog_Валюты": 2}
    assert sb.stats["total"] == 2


def test_it_runs_helpers_over_http(onec_sandbox):
    sb = onec_sandbox
    cp = sb.ref("Catalog_Контрагенты", "vector")
    resp = requests.post(
        _control(sb) + "helpers/add_unallocated_payment",
        json={"counterparty_ref": cp, "amount": "500"},
        timeout=10,
    )
    ref = resp.json()["result"]
    payment = sb.get("Document_ПоступлениеНаРасчетныйСчет", ref)
    assert payment["СуммаДокумента"] == 500
    assert payment["РасшифровкаПлатежа"][0]["СчетНаОплату_Key"].startswith("00000000")
