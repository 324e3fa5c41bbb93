"""The 1C sandbox answers OData the way a real 1C publication does (BP 3.0 and UT 11)."""

import base64
from urllib.parse import quote

import pytest
import requests

from sandbox.demo_data import DEMO_LOGIN, DEMO_PASSWORD

ZERO = "00000000-0000-0000-0000-000000000000"


def _session():
    s = requests.Session()
    s.auth = (DEMO_LOGIN.encode("utf-8"), DEMO_PASSWORD.encode("utf-8"))
    return s


def _get(sb, path, **params):
    params.setdefault("$format", "json")
    # Encode ourselves: 1C wants %20, not the + that requests would send.
    query = "&".join(f"{k}={quote(str(v), safe=chr(39) + '(),=')}" for k, v in params.items())
    return _session().get(f"{sb.url}odata/standard.odata/{path}?{query}", timeout=30)


def _post(sb, path, body=None):
    return _session().post(
        f"{sb.url}odata/standard.odata/{path}?$format=json", json=body, timeout=30
    )


def _patch(sb, path, body):
    return _session().patch(
        f"{sb.url}odata/standard.odata/{path}?$format=json", json=body, timeout=30
    )


def _bp_invoice_body(sb, rows=None):
    org = sb.ref("Catalog_Организации", "romashka")
    item = sb.ref("Catalog_Номенклатура", "RM-001")
    return {
        "Date": "2026-02-01T10:00:00",
        "Организация_Key": org,
        "Контрагент_Key": sb.ref("Catalog_Контрагенты", "vector"),
        "ДоговорКонтрагента_Key": sb.ref("Catalog_ДоговорыКонтрагентов", "vector"),
        "СтруктурнаяЕдиница_Key": sb.ref("Catalog_БанковскиеСчета", "romashka"),
        "СуммаВключаетНДС": True,
        "Товары": rows
        if rows is not None
        else [
            {
                "LineNumber": "1",
                "Номенклатура": item,
                "Номенклатура_Type": "StandardODATA.Catalog_Номенклатура",
                "Количество": 2,
                "Цена": 12000,
                "Сумма": 24000,
                "СтавкаНДС": "НДС22",
                "СуммаНДС": 4327.87,
            },
        ],
    }


def _ut_order_body(sb, rows=None):
    return {
        "Date": "2026-02-01T10:00:00",
        "Организация_Key": sb.ref("Catalog_Организации", "romashka"),
        "Партнер_Key": sb.ref("Catalog_Партнеры", "vector"),
        "Контрагент_Key": sb.ref("Catalog_Контрагенты", "vector"),
        "Договор_Key": sb.ref("Catalog_ДоговорыКонтрагентов", "vector"),
        "ЦенаВключаетНДС": True,
        "Товары": rows
        if rows is not None
        else [
            {
                "LineNumber": "1",
                "Номенклатура_Key": sb.ref("Catalog_Номенклатура", "RM-002"),
                "Количество": 4,
                "Цена": 8500,
                "Сумма": 34000,
                "СтавкаНДС_Key": sb.ref("Catalog_СтавкиНДС", "НДС22"),
                "СуммаНДС": 6131.15,
                "СуммаСНДС": 34000,
            },
        ],
    }


def test_it_rejects_wrong_credentials_like_the_web_server(onec_sandbox):
    url = f"{onec_sandbox.url}odata/standard.odata/Catalog_Контрагенты?$format=json"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, auth=(DEMO_LOGIN.encode(), b"wrong"), timeout=10).status_code == 401
    latin1 = base64.b64encode(DEMO_LOGIN.encode("cp1251") + b":demo").decode()
    resp = requests.get(url, headers={"Authorization": f"Basic {latin1}"}, timeout=10)
    assert resp.status_code == 401


def test_it_finds_a_counterparty_by_inn_skipping_deleted_duplicates(onec_sandbox):
    flt = "ИНН eq '5096030820' and DeletionMark eq false and IsFolder eq false"
    body = _get(
        onec_sandbox, "Catalog_Контрагенты", **{"$filter": flt, "$inlinecount": "allpages"}
    ).json()
    assert body["odata.count"] == "1"
    (cp,) = body["value"]
    assert cp["Description"] == "ООО «Вектор»"
    assert cp["РегистрационныйНомер"] == "1157746601891"
    assert cp["Parent_Key"] != ZERO
    assert body["odata.metadata"].endswith("$metadata#Catalog_Контрагенты")
    everything = _get(onec_sandbox, "Catalog_Контрагенты", **{"$filter": "ИНН eq '5096030820'"})
    assert len(everything.json()["value"]) == 2


def test_it_pages_orders_and_selects(onec_sandbox):
    flt = "IsFolder eq false"
    page = _get(
        onec_sandbox,
        "Catalog_Номенклатура",
        **{
            "$filter": flt,
            "$orderby": "Артикул desc",
            "$top": 2,
            "$skip": 1,
            "$select": "Артикул,Description",
        },
    ).json()["value"]
    assert [p["Артикул"] for p in page] == ["RM-003", "RM-002"]
    assert set(page[0]) == {"Ref_Key", "Артикул", "Description"}


def test_it_filters_with_v3_literals_and_functions(onec_sandbox):
    sb = onec_sandbox
    org = sb.ref("Catalog_Организации", "romashka")
    flt = f"Owner eq guid'{org}' and substringof('4070', НомерСчета)"
    (acc,) = _get(sb, "Catalog_БанковскиеСчета", **{"$filter": flt}).json()["value"]
    assert acc["Owner_Type"] == "StandardODATA.Catalog_Организации"
    prices = _get(
        sb,
        "InformationRegister_ЦеныНоменклатуры",
        **{"$filter": "Period le datetime'2026-06-01T00:00:00' and Цена gt 5000"},
    ).json()["value"]
    assert sorted(p["Цена"] for p in prices) == [8500, 9000, 12000]


def test_it_answers_odata_errors_with_real_codes(onec_sandbox):
    sb = onec_sandbox
    bad = _get(sb, "Catalog_Контрагенты", **{"$filter": "ИНН eq '1' and"})
    assert bad.status_code == 400
    assert bad.json()["odata.error"]["code"] == "14"
    assert bad.json()["odata.error"]["message"]["lang"] == "ru"
    assert (
        _get(sb, "Catalog_Контрагенты", **{"$filter": "Нет eq 1"}).json()["odata.error"]["code"]
        == "14"
    )
    missing = _get(sb, "Catalog_НетТакого")
    assert (missing.status_code, missing.json()["odata.error"]["code"]) == (404, "6")
    gone = _get(sb, f"Catalog_Контрагенты(guid'{ZERO[:-1]}1')")
    assert (gone.status_code, gone.json()["odata.error"]["code"]) == (404, "9")


def test_it_answers_atom_without_format_json(onec_sandbox):
    url = f"{onec_sandbox.url}odata/standard.odata/Catalog_Валюты"
    resp = _session().get(url, timeout=10)
    assert resp.headers["Content-Type"].startswith("application/atom+xml")
    assert "<feed" in resp.text and "643" in resp.text


def test_it_creates_an_invoice_with_a_1c_number_and_prints_it_short(onec_sandbox):
    sb = onec_sandbox
    created = _post(
        sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb) | {"НеизвестноеПоле": 1}
    )
    assert created.status_code == 201
    doc = created.json()
    assert doc["Number"] == "0000-000001"
    assert doc["СуммаДокумента"] == 24000
    assert doc["Товары"][0]["LineNumber"] == "1"
    assert doc["Posted"] is False and doc["DataVersion"]
    assert "НеизвестноеПоле" not in doc
    assert "guid'" in requests.utils.unquote(created.headers["Location"])
    second = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb)).json()
    assert second["Number"] == "0000-000002"
    north = _bp_invoice_body(sb) | {
        "Организация_Key": sb.ref("Catalog_Организации", "romashka_north")
    }
    assert _post(sb, "Document_СчетНаОплатуПокупателю", north).json()["Number"] == "СВ00-000001"


def test_it_truncates_long_strings_and_rejects_bad_values(onec_sandbox):
    sb = onec_sandbox
    cp = _post(sb, "Catalog_Контрагенты", {"Description": "Я" * 300, "ИНН": "1234567890123"}).json()
    assert len(cp["Description"]) == 100 and cp["ИНН"] == "123456789012"
    bad = _post(sb, "Catalog_Контрагенты", {"Parent_Key": "not-a-guid"})
    assert (bad.status_code, bad.json()["odata.error"]["code"]) == (400, "4")


def test_it_replaces_a_tabular_section_on_patch_and_checks_line_numbers(onec_sandbox):
    sb = onec_sandbox
    doc = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb)).json()
    path = f"Document_СчетНаОплатуПокупателю(guid'{doc['Ref_Key']}')"
    row = dict(doc["Товары"][0])
    rows = [row | {"LineNumber": "1"}, row | {"LineNumber": "2", "Сумма": 1000}]
    patched = _patch(sb, path, {"Товары": rows})
    assert patched.status_code == 200
    assert [r["LineNumber"] for r in patched.json()["Товары"]] == ["1", "2"]
    assert patched.json()["СуммаДокумента"] == 25000
    assert patched.json()["DataVersion"] != doc["DataVersion"]
    gap = _patch(sb, path, {"Товары": [row | {"LineNumber": "2"}]})
    assert gap.json()["odata.error"]["code"] == "4"
    missing = {k: v for k, v in row.items() if k != "LineNumber"}
    assert _patch(sb, path, {"Товары": [missing]}).json()["odata.error"]["code"] == "5"
    assert len(sb.get("Document_СчетНаОплатуПокупателю", doc["Ref_Key"])["Товары"]) == 2


def test_it_posts_an_invoice_and_tracks_its_payment_status(onec_sandbox):
    sb = onec_sandbox
    doc = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb)).json()
    path = f"Document_СчетНаОплатуПокупателю(guid'{doc['Ref_Key']}')"
    assert _post(sb, f"{path}/Post?PostingModeOperational=false").status_code == 200
    assert sb.get("Document_СчетНаОплатуПокупателю", doc["Ref_Key"])["Posted"] is True

    def status():
        flt = f"Документ eq guid'{doc['Ref_Key']}'"
        (row,) = _get(sb, "InformationRegister_СтатусыДокументов", **{"$filter": flt}).json()[
            "value"
        ]
        return row["Статус"]

    assert status() == "НеОплачен"
    sb.add_payment(doc["Ref_Key"], "10000")
    assert status() == "ОплаченЧастично"
    payment_ref = sb.add_payment(doc["Ref_Key"], "14000")
    assert status() == "Оплачен"
    payment = _get(sb, f"Document_ПоступлениеНаРасчетныйСчет(guid'{payment_ref}')").json()
    assert payment["РасшифровкаПлатежа"][0]["СчетНаОплату_Key"] == doc["Ref_Key"]
    assert payment["Posted"] is True
    sb.delete_document(doc["Ref_Key"])
    assert status() == "Отменен"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"Товары": []}, "Товары"),
        ({"Контрагент_Key": ZERO}, "Контрагент"),
        (
            {
                "Товары": [
                    {
                        "LineNumber": "1",
                        "Номенклатура": "PLACEHOLDER",
                        "Количество": 1,
                        "Цена": 1,
                        "Сумма": 1,
                        "СтавкаНДС": "НДС22",
                    }
                ]
            },
            "помечена на удаление",
        ),
    ],
)
def test_it_refuses_to_post_a_broken_invoice_with_a_business_error(onec_sandbox, change, message):
    sb = onec_sandbox
    if change.get("Товары"):
        change["Товары"][0]["Номенклатура"] = sb.ref("Catalog_Номенклатура", "OLD-1")
    doc = _post(sb, "Document_СчетНаОплатуПокупателю", _bp_invoice_body(sb) | change).json()
    resp = _post(sb, f"Document_СчетНаОплатуПокупателю(guid'{doc['Ref_Key']}')/Post")
    assert resp.status_code == 500
    assert resp.json()["odata.error"]["code"] == "-1"
    assert message in resp.json()["odata.error"]["message"]["value"]
    assert sb.get("Document_СчетНаОплатуПокупателю", doc["Ref_Key"])["Posted"] is False


def test_it_serves_the_ut_chain_partner_counterparty_order(onec_sandbox_ut):
    sb = onec_sandbox_ut
    partner = _post(sb, "Catalog_Партнеры", {"Description": "Рога & Копыта", "Клиент": True}).json()
    cp = _post(
        sb,
        "Catalog_Контрагенты",
        {
            "Description": 'ООО "Рога & Копыта" д\'Артаньян',
            "Партнер_Key": partner["Ref_Key"],
            "ЮрФизЛицо": "ЮрЛицо",
            "ИНН": "5482199356",
        },
    ).json()
    flt = "Description eq 'ООО \"Рога & Копыта\" д''Артаньян'"
    found = _get(sb, "Catalog_Контрагенты", **{"$filter": flt}).json()["value"]
    assert [c["Ref_Key"] for c in found] == [cp["Ref_Key"]]
    order = _post(sb, "Document_ЗаказКлиента", _ut_order_body(sb)).json()
    assert order["СуммаДокумента"] == 34000
    assert order["Number"] == "0000-000001"
    path = f"Document_ЗаказКлиента(guid'{order['Ref_Key']}')"
    assert _post(sb, f"{path}/Post?PostingModeOperational=false").status_code == 200
    (vat,) = _get(
        sb, "Catalog_СтавкиНДС", **{"$filter": "ПеречислениеСтавкаНДС eq 'НДС22'"}
    ).json()["value"]
    assert vat["Ставка"] == 22
    sb.add_payment(order["Ref_Key"], 34000)
    sb.add_shipment(order["Ref_Key"], 34000)
    sb.close_order(order["Ref_Key"])
    flt = f"ЗаказКлиента eq guid'{order['Ref_Key']}'"
    (shipment,) = _get(sb, "Document_РеализацияТоваровУслуг", **{"$filter": flt}).json()["value"]
    assert shipment["ЗаказКлиента_Type"] == "StandardODATA.Document_ЗаказКлиента"
    (payment,) = sb.find("Document_ПоступлениеБезналичныхДенежныхСредств")
    assert payment["РасшифровкаПлатежа"][0]["ОснованиеПлатежа"] == order["Ref_Key"]
    assert sb.get("Document_ЗаказКлиента", order["Ref_Key"])["Статус"] == "Закрыт"


def test_it_refuses_to_post_an_ut_order_without_partner(onec_sandbox_ut):
    sb = onec_sandbox_ut
    order = _post(sb, "Document_ЗаказКлиента", _ut_order_body(sb) | {"Партнер_Key": ZERO}).json()
    resp = _post(sb, f"Document_ЗаказКлиента(guid'{order['Ref_Key']}')/Post")
    assert resp.json()["odata.error"]["code"] == "-1"


def test_it_reads_ut_prices_and_user_emails(onec_sandbox_ut):
    sb = onec_sandbox_ut
    (kind,) = _get(sb, "Catalog_ВидыЦен").json()["value"]
    assert kind["Description"] == "Основная цена продажи"
    item = sb.ref("Catalog_Номенклатура", "RM-003")
    flt = f"ВидЦены_Key eq guid'{kind['Ref_Key']}' and Номенклатура_Key eq guid'{item}'"
    (price,) = _get(sb, "InformationRegister_ЦеныНоменклатуры25", **{"$filter": flt}).json()[
        "value"
    ]
    assert price["Цена"] == 4999.99
    users = _get(sb, "Catalog_Пользователи").json()["value"]
    emails = {
        r["АдресЭП"]
        for u in users
        for r in u["КонтактнаяИнформация"]
        if r["Тип"] == "АдресЭлектроннойПочты"
    }
    assert "smirnova@romashka.test" in emails
