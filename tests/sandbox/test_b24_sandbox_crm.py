"""The sandbox portal's data and what the app writes into it, seen over HTTP."""

import base64
import io
import re
import zipfile
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from sandbox.server import SandboxServer
from sandbox.wsgi import Request


def call(sb, method, user="1", **params):
    token = sb.issue_tokens(user)["access_token"]
    r = requests.post(f"{sb.url}/rest/{method}", json={"auth": token, **params}, timeout=10)
    return r


def result(sb, method, user="1", **params):
    r = call(sb, method, user, **params)
    assert r.status_code == 200, r.text
    return r.json()["result"]


def a_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_it_exposes_product_articles_through_the_catalog(b24_sandbox):
    rows = result(b24_sandbox, "crm.deal.productrows.get", id=1)
    assert rows[0]["PRODUCT_NAME"] == "Стол офисный «Ромашка»"
    assert rows[0]["PRICE"] == 12000.0 and rows[0]["TAX_RATE"] == 22 and rows[0]["QUANTITY"] == 2
    prop = result(b24_sandbox, "catalog.productProperty.list", filter={"code": "CML2_ARTICLE"})[
        "productProperties"
    ][0]
    products = result(
        b24_sandbox,
        "catalog.product.list",
        select=["id", "iblockId", "name", f"property{prop['id']}"],
        filter={"iblockId": prop["iblockId"], "@id": [r["PRODUCT_ID"] for r in rows]},
    )["products"]
    articles = {p["id"]: p[f"property{prop['id']}"]["value"] for p in products}
    assert [articles[r["PRODUCT_ID"]] for r in rows] == ["RM-001", "RM-002", "SRV-010"]


def test_it_requires_the_catalog_iblock_in_product_lists(b24_sandbox):
    r = call(b24_sandbox, "catalog.product.list", select=["id", "iblockId"])
    assert r.status_code == 400


@pytest.mark.parametrize(
    ("deal_id", "preset", "entity_type"), [("1", "1", "4"), ("2", "2", "4"), ("3", "3", "3")]
)
def test_it_links_deals_to_client_and_my_company_requisites(
    b24_sandbox, deal_id, preset, entity_type
):
    link = result(b24_sandbox, "crm.requisite.link.get", entityTypeId=2, entityId=deal_id)
    client = result(b24_sandbox, "crm.requisite.get", id=link["REQUISITE_ID"])
    assert (client["PRESET_ID"], client["ENTITY_TYPE_ID"]) == (preset, entity_type)
    mine = result(b24_sandbox, "crm.requisite.get", id=link["MC_REQUISITE_ID"])
    company = result(b24_sandbox, "crm.company.get", id=mine["ENTITY_ID"])
    assert company["IS_MY_COMPANY"] == "Y"
    addresses = result(
        b24_sandbox, "crm.address.list", filter={"ENTITY_TYPE_ID": 8, "ENTITY_ID": client["ID"]}
    )
    assert addresses and addresses[0]["TYPE_ID"] == "6" and addresses[0]["POSTAL_CODE"]


def test_it_finds_the_person_as_a_contact(b24_sandbox):
    deal = result(b24_sandbox, "crm.deal.get", id=3)
    contact = result(b24_sandbox, "crm.contact.get", id=deal["CONTACT_ID"])
    assert (contact["LAST_NAME"], contact["NAME"]) == ("Петров", "Пётр")
    missing = call(b24_sandbox, "crm.contact.get", id=999)
    assert (missing.status_code, missing.json()["error_description"]) == (400, "Not found")


def test_it_moves_a_deal_to_a_stage_of_its_pipeline(b24_sandbox):
    stages = result(b24_sandbox, "crm.status.list", filter={"ENTITY_ID": "DEAL_STAGE"})
    assert "WON" in [s["STATUS_ID"] for s in stages]
    assert result(b24_sandbox, "crm.deal.update", id=1, fields={"STAGE_ID": "WON"}) is True
    assert b24_sandbox.state.deals["1"]["STAGE_ID"] == "WON"
    wrong = call(b24_sandbox, "crm.deal.update", id=1, fields={"STAGE_ID": "C1:WON"})
    assert wrong.status_code == 400
    assert b24_sandbox.state.deals["1"]["STAGE_ID"] == "WON"


def test_it_stores_uploaded_documents_and_serves_them(b24_sandbox):
    docx, pdf = a_docx(), b"%PDF-1.4 test"
    fields = {
        "entityTypeId": 2,
        "entityId": 1,
        "title": "Счёт № 12",
        "number": "12",
        "region": "ru",
        "fileContent": base64.b64encode(docx).decode(),
        "pdfContent": base64.b64encode(pdf).decode(),
    }
    doc = result(b24_sandbox, "crm.documentgenerator.document.upload", user="2", fields=fields)
    doc = doc["document"]
    assert (doc["title"], doc["number"], doc["entityId"]) == ("Счёт № 12", "12", "1")
    stored = b24_sandbox.state.documents[doc["id"]]
    assert (stored.docx, stored.pdf) == (docx, pdf)
    assert requests.get(doc["downloadUrl"], timeout=10).content == docx
    assert requests.get(doc["pdfUrl"], timeout=10).content == pdf
    listed = result(b24_sandbox, "crm.documentgenerator.document.list", filter={"entityId": "1"})
    assert [d["id"] for d in listed["documents"]] == [doc["id"]]
    card = requests.get(f"{b24_sandbox.url}/crm/deal/details/1/?user=2", timeout=10).text
    assert "Счёт № 12" in card and f"/sandbox/documents/{doc['id']}/pdf" in card


def test_it_refuses_an_upload_without_a_docx(b24_sandbox):
    fields = {"entityTypeId": 2, "entityId": 1, "title": "x", "number": "1", "region": "ru"}
    missing = call(b24_sandbox, "crm.documentgenerator.document.upload", fields=fields)
    assert missing.status_code == 400
    fields["fileContent"] = base64.b64encode(b"not a docx").decode()
    assert call(b24_sandbox, "crm.documentgenerator.document.upload", fields=fields).ok is False
    assert b24_sandbox.state.documents == {}


def test_it_records_timeline_entries_and_notifications(b24_sandbox):
    log = result(
        b24_sandbox,
        "crm.timeline.logmessage.add",
        fields={"entityTypeId": 2, "entityId": 1, "title": "1С", "text": "Счёт оплачен"},
    )
    assert log["logMessage"]["title"] == "1С"
    comment_id = result(
        b24_sandbox,
        "crm.timeline.comment.add",
        fields={"ENTITY_ID": 1, "ENTITY_TYPE": "deal", "COMMENT": "Документы готовы"},
    )
    assert isinstance(comment_id, int)
    assert [e["text"] for e in b24_sandbox.state.deal_timeline("1")] == [
        "Счёт оплачен",
        "Документы готовы",
    ]
    note = result(b24_sandbox, "im.notify.system.add", USER_ID=2, MESSAGE="Счёт готов")
    assert isinstance(note, int)
    assert b24_sandbox.state.notifications[-1]["user_id"] == "2"
    empty = call(b24_sandbox, "im.notify.personal.add", MESSAGE="x")
    assert empty.json()["error"] == "USER_ID_EMPTY"


def test_it_keeps_placements_unique_and_checks_arguments(b24_sandbox):
    args = {"PLACEMENT": "CRM_DEAL_DETAIL_TAB", "HANDLER": "http://app/b24/deal-tab/"}
    assert result(b24_sandbox, "placement.bind", TITLE="Документы", **args) is True
    assert result(b24_sandbox, "placement.bind", TITLE="Документы из 1С", **args) is True
    bound = result(b24_sandbox, "placement.get")
    assert [(p["placement"], p["title"]) for p in bound] == [
        ("CRM_DEAL_DETAIL_TAB", "Документы из 1С")
    ]
    no_placement = call(b24_sandbox, "placement.bind", HANDLER="http://app/")
    assert no_placement.json()["error"] == "ERROR_ARGUMENT"
    not_admin = call(b24_sandbox, "placement.bind", user="2", **args)
    assert not_admin.status_code == 403
    assert result(b24_sandbox, "placement.unbind", **args) == {"count": 1}


def test_it_delivers_bound_events_to_their_handlers(b24_sandbox):
    received = []

    def handler_app(environ, start_response):
        request = Request.from_environ(environ)
        received.append(dict(request.form_pairs()))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = SandboxServer(handler_app).start(poll_interval=0.02)
    try:
        handler = f"{server.url}/b24/events/"
        assert result(b24_sandbox, "event.bind", event="ONCRMDEALUPDATE", handler=handler)
        again = call(b24_sandbox, "event.bind", event="ONCRMDEALUPDATE", handler=handler)
        assert again.json()["error"] == "ERROR_HANDLER_ALREADY_EXIST"
        outcome = b24_sandbox.deliver_events("ONCRMDEALUPDATE", {"FIELDS": {"ID": "4"}})
        assert outcome == [(handler, 200)]
    finally:
        server.stop()
    assert received[0]["data[FIELDS][ID]"] == "4"
    assert received[0]["auth[application_token]"] == b24_sandbox.application_token


def test_it_renders_a_deal_card_that_posts_into_the_app_frame(b24_sandbox):
    handler = "http://127.0.0.1:9/b24/deal-tab/"
    result(b24_sandbox, "placement.bind", PLACEMENT="CRM_DEAL_DETAIL_TAB", HANDLER=handler)
    page = requests.get(f"{b24_sandbox.url}/crm/deal/details/2/?user=3", timeout=10)
    assert page.status_code == 200
    html = page.text
    action = urlsplit(unescape(re.search(r"action='([^']+)'", html).group(1)))
    assert f"{action.scheme}://{action.netloc}{action.path}" == handler
    query = dict(parse_qsl(action.query))
    assert (query["DOMAIN"], query["PROTOCOL"], query["LANG"]) == (b24_sandbox.domain, "0", "ru")
    token = re.search(r"name='AUTH_ID' value='([^']+)'", html).group(1)
    who = requests.get(f"{b24_sandbox.url}/rest/user.current?auth={token}", timeout=10).json()
    assert who["result"]["ID"] == "3"
    assert "target='app-frame'" in html and "{&quot;ID&quot;:&quot;2&quot;}" in html


def test_it_serves_the_index_installer_app_page_and_shim(b24_sandbox):
    base = b24_sandbox.url
    assert "Мебель для офиса Вектор" in requests.get(base + "/", timeout=10).text
    install = requests.get(base + "/marketplace/install/", timeout=10).text
    assert "Установить" in install and f"{b24_sandbox.app_url}/b24/install/" in install
    assert "/b24/app/" in requests.get(base + "/marketplace/app/?user=1", timeout=10).text
    shim = requests.get(base + "/bx24-shim.js", timeout=10)
    assert "installFinish" in shim.text and "javascript" in shim.headers["Content-Type"]
    assert requests.post(base + "/sandbox/install-finished", timeout=10).ok
    assert b24_sandbox.state.install_finished is True
    assert result(b24_sandbox, "app.info")["INSTALLED"] is True
