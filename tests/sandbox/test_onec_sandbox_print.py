"""The sandbox's print service speaks protocol v1 and prints the invoice 1C would print."""

import io

import requests
from docx import Document
from pypdf import PdfReader

from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD
from tests.sandbox.test_onec_sandbox_odata import _bp_invoice_body, _post, _ut_order_body

AUTH = (DEMO_LOGIN.encode("utf-8"), DEMO_PASSWORD.encode("utf-8"))


def _print(sb, entity_set, ref, **params):
    params = {"form": "invoice", "format": "pdf", "stamp": "false"} | params
    url = f"{sb.url}hs/docs1c/v1/print/{entity_set}/{ref}"
    return requests.get(url, params=params, auth=AUTH, timeout=30)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_it_pings_with_configuration_versions(onec_sandbox, onec_sandbox_ut):
    bp = requests.get(f"{onec_sandbox.url}hs/docs1c/v1/ping", auth=AUTH, timeout=10).json()
    assert bp["service"] == "docs1c-print" and bp["version"] == "1.0.0"
    assert bp["configuration"]["name"] == "БухгалтерияПредприятия"
    assert bp["forms"] == ["invoice"]
    ut = requests.get(f"{onec_sandbox_ut.url}hs/docs1c/v1/ping", auth=AUTH, timeout=10).json()
    assert ut["configuration"]["name"] == "УправлениеТорговлей"
    assert requests.get(f"{onec_sandbox.url}hs/docs1c/v1/ping", timeout=10).status_code == 401


def test_it_prints_a_bp_invoice_with_the_short_number(onec_sandbox):
    sb = onec_sandbox
    doc = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb)).json()
    resp = _print(sb, "Document_СчетНаОплатуПокупателю", doc["Ref_Key"])
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["X-Document-Number"] == "1"
    assert resp.headers["X-Document-Date"] == "2026-02-01"
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    text = _text(resp.content)
    assert "Счет на оплату № 1 от 01 февраля 2026 г." in text
    assert "ИНН 7752601811" in text and "ИНН 5096030820" in text
    assert "Договор № Д-2026/001 от 01.01.2026" in text
    assert "В том числе НДС 22%: 4 327,87" in text
    assert "Смирнов А. В." in text and "Орлова М. С." in text


def test_it_puts_the_stamp_only_on_stamped_forms(onec_sandbox):
    sb = onec_sandbox
    doc = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb)).json()
    plain = PdfReader(
        io.BytesIO(_print(sb, "Document_СчетНаОплатуПокупателю", doc["Ref_Key"]).content)
    )
    stamped = PdfReader(
        io.BytesIO(
            _print(sb, "Document_СчетНаОплатуПокупателю", doc["Ref_Key"], stamp="true").content
        )
    )
    assert len(stamped.pages[0].images) == len(plain.pages[0].images) + 3


def test_it_prints_docx(onec_sandbox):
    sb = onec_sandbox
    doc = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb)).json()
    resp = _print(sb, "Document_СчетНаОплатуПокупателю", doc["Ref_Key"], format="docx")
    assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    paragraphs = [p.text for p in Document(io.BytesIO(resp.content)).paragraphs]
    assert "Счет на оплату № 1 от 01 февраля 2026 г." in paragraphs


def test_it_answers_print_errors_as_json(onec_sandbox):
    sb = onec_sandbox
    doc = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb)).json()
    bad = _print(sb, "Document_СчетНаОплатуПокупателю", doc["Ref_Key"], format="xls")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "bad_request")
    assert _print(sb, "Document_СчетНаОплатуПокупателю", "nope").json()["error"]["code"] == (
        "bad_request"
    )
    missing = _print(sb, "Document_СчетНаОплатуПокупателю", "1" * 8 + "-1111-1111-1111-" + "1" * 12)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    sb.knobs.print_service = False
    assert _print(sb, "Document_СчетНаОплатуПокупателю", doc["Ref_Key"]).status_code == 404


def test_it_prints_an_ut_order_only_once_posted(onec_sandbox_ut):
    sb = onec_sandbox_ut
    order = _post(sb, "Document_ЗаказКлиента", _ut_order_body(sb)).json()
    early = _print(sb, "Document_ЗаказКлиента", order["Ref_Key"])
    assert (early.status_code, early.json()["error"]["code"]) == (409, "not_posted")
    _post(sb, f"Document_ЗаказКлиента(guid'{order['Ref_Key']}')/Post")
    resp = _print(sb, "Document_ЗаказКлиента", order["Ref_Key"])
    assert resp.status_code == 200
    text = _text(resp.content)
    assert "Счет на оплату № 1 от 01 февраля 2026 г." in text
    assert "Кресло рабочее" in text and "Итого: 34 000,00" in text
