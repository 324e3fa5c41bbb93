from pathlib import Path

import pytest
import yaml

from onec.errors import OneCBadRequest, OneCBusinessError, OneCNotFound
from onec.print_client import PING_PATH, PRINT_PATH, PrintClient, printed_number
from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD

from .test_operations import _invoice

SPEC = yaml.safe_load((Path(__file__).parents[2] / "onec" / "print_service.yaml").read_text())


def test_it_follows_the_openapi_protocol():
    paths = SPEC["paths"]
    assert PING_PATH in paths and PRINT_PATH in paths
    params = {p["name"]: p for p in paths[PRINT_PATH]["get"]["parameters"]}
    assert set(params) == {"entity_set", "ref_key", "form", "format", "stamp"}
    assert params["format"]["schema"]["enum"] == ["pdf", "docx"]
    assert SPEC["servers"][0]["url"].endswith("/hs/docs1c")
    headers = paths[PRINT_PATH]["get"]["responses"]["200"]["headers"]
    assert {"X-Document-Number", "X-Document-Date", "Content-Disposition"} <= set(headers)
    codes = SPEC["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
    assert {"bad_request", "not_found", "not_posted", "print_failed"} <= set(codes["enum"])


def test_it_strips_prefixes_and_leading_zeros_from_numbers():
    assert printed_number("0000-000012") == "12"
    assert printed_number("СВ00-000003") == "3"
    assert printed_number("") == ""


def test_it_pings_the_print_service(onec_sandbox):
    info = PrintClient(onec_sandbox.url, DEMO_LOGIN, DEMO_PASSWORD).ping()
    assert info.service == "docs1c-print" and info.version.startswith("1.")
    assert "invoice" in info.forms and info.configuration_version


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_it_prints_an_invoice_with_and_without_stamp(onec_any, fmt):
    _sb, c = onec_any
    invoice, _ = _invoice(c)
    plain = c.printer.print_form(c.spec.invoice, invoice.ref_key, format=fmt, stamp=False)
    stamped = c.printer.print_form(c.spec.invoice, invoice.ref_key, format=fmt, stamp=True)
    magic = b"%PDF" if fmt == "pdf" else b"PK"
    assert plain.content.startswith(magic) and stamped.content.startswith(magic)
    assert plain.content != stamped.content
    assert plain.number == invoice.number
    assert plain.filename.endswith(f".{fmt}")
    assert plain.date == invoice.date.date().isoformat()


def test_it_maps_print_errors(onec_any):
    _sb, c = onec_any
    with pytest.raises(OneCNotFound):
        c.printer.print_form(c.spec.invoice, "0f8fad5b-d9cb-469f-a165-70867728950e")
    with pytest.raises(OneCBadRequest):
        c.printer.print_form("Document_Прочее", "0f8fad5b-d9cb-469f-a165-70867728950e")
    if not c.spec.is_bp:
        order = c.odata.create(c.spec.invoice, {"Комментарий": "не проведён"})
        with pytest.raises(OneCBusinessError) as info:
            c.printer.print_form(c.spec.invoice, order["Ref_Key"])
        assert "не проведён" in info.value.message_for_user
