"""Our print HTTP service (`/hs/docs1c/v1/`) as the 1C extension implements it: BP prints the
invoice from Document_СчетНаОплатуПокупателю, UT from a posted Document_ЗаказКлиента."""

from datetime import date
from decimal import Decimal
from urllib.parse import quote

from documents.money import VatRate
from documents.rendering.invoice_data import (
    BankDetails,
    InvoicePrintData,
    InvoiceRow,
    PartyDetails,
    Signatory,
)
from documents.rendering.russian import initials
from sandbox.wsgi import Response, json_response

from .filters import GUID_RE
from .schema import PLATFORM, ZERO_GUID
from .store import printed_number

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error(status: int, code: str, message: str) -> Response:
    return json_response({"error": {"code": code, "message": message}}, status)


def handle(sb, request, subpath: str) -> Response:
    parts = subpath.strip("/").split("/")
    if parts[:2] != ["docs1c", "v1"] or request.method != "GET":
        return Response("<html><body>Not Found</body></html>", 404)
    rest = parts[2:]
    if rest == ["ping"]:
        return json_response(
            {
                "service": "docs1c-print",
                "version": "1.0.0",
                "configuration": {"name": sb.profile.configuration, "version": sb.profile.version},
                "platform": PLATFORM,
                "forms": ["invoice"],
            }
        )
    if len(rest) == 3 and rest[0] == "print":
        return _print(sb, request, rest[1], rest[2])
    return _error(404, "not_found", "Неизвестный метод сервиса печати")


def _print(sb, request, entity_set: str, ref: str) -> Response:
    q = request.query
    fmt, form, stamp = q.get("format", "pdf"), q.get("form", "invoice"), q.get("stamp", "false")
    if fmt not in ("pdf", "docx"):
        return _error(400, "bad_request", f"Неподдерживаемый формат «{fmt}»: pdf или docx")
    if form != "invoice":
        return _error(400, "bad_request", f"Неизвестная печатная форма «{form}»")
    if stamp not in ("true", "false"):
        return _error(400, "bad_request", "Параметр stamp: true или false")
    if entity_set != sb.profile.invoice_set:
        return _error(400, "bad_request", f"Печать счета из «{entity_set}» не поддерживается")
    if not GUID_RE.match(ref):
        return _error(400, "bad_request", "Неверный идентификатор документа")
    with sb.store.lock:
        doc = sb.store.get(entity_set, ref)
        if doc is None:
            return _error(404, "not_found", "Документ не найден")
        if sb.profile.key == "ut11" and not doc["Posted"]:
            return _error(409, "not_posted", "Заказ клиента не проведен: печать счета невозможна")
        try:
            data = build_print_data(sb, doc)
        except (KeyError, ValueError) as exc:
            return _error(500, "print_failed", f"Не удалось сформировать печатную форму: {exc}")
    from documents.rendering.invoice_docx import render_invoice_docx
    from documents.rendering.invoice_pdf import render_invoice_pdf

    with_stamp = stamp == "true"
    if fmt == "pdf":
        body, mime = render_invoice_pdf(data, stamp=with_stamp), "application/pdf"
    else:
        body, mime = render_invoice_docx(data, stamp=with_stamp), DOCX_MIME
    filename = f"Счет на оплату № {data.number} от {data.date:%d.%m.%Y}.{fmt}"
    headers = [
        (
            "Content-Disposition",
            f'attachment; filename="invoice-{data.number}.{fmt}"; '
            f"filename*=UTF-8''{quote(filename)}",
        ),
        ("X-Document-Number", data.number),
        ("X-Document-Date", data.date.isoformat()),
    ]
    return Response(body, 200, headers, mime)


def build_print_data(sb, doc: dict) -> InvoicePrintData:
    st, bp = sb.store, sb.profile.key == "bp30"
    org = st.data["Catalog_Организации"][doc["Организация_Key"]]
    buyer = st.data["Catalog_Контрагенты"].get(doc["Контрагент_Key"])
    if buyer is None:
        raise ValueError("не указан покупатель")
    if bp:
        account = (
            st.data["Catalog_БанковскиеСчета"].get(doc["СтруктурнаяЕдиница_Key"])
            or (st.data["Catalog_БанковскиеСчета"][org["ОсновнойБанковскийСчет_Key"]])
        )
        bank = st.data["Catalog_Банки"][account["Банк_Key"]]
        bank_details = BankDetails(
            bank["Description"],
            bank["Code"],
            bank["КоррСчет"],
            account["НомерСчета"],
            bank["Город"],
        )
        contract_key, includes_vat = doc["ДоговорКонтрагента_Key"], doc["СуммаВключаетНДС"]
    else:
        accounts = st.data["Catalog_БанковскиеСчетаОрганизаций"]
        account = accounts.get(doc["БанковскийСчет_Key"]) or next(
            a for a in accounts.values() if a["Owner_Key"] == org["Ref_Key"]
        )
        bank_details = BankDetails(
            account["НаименованиеБанка"],
            account["БИКБанка"],
            account["КоррСчетБанка"],
            account["НомерСчета"],
            account["ГородБанка"],
        )
        contract_key, includes_vat = doc["Договор_Key"], doc["ЦенаВключаетНДС"]
    contract = st.data["Catalog_ДоговорыКонтрагентов"].get(contract_key)
    basis = ""
    if contract:
        signed = date.fromisoformat(contract["Дата"][:10])
        basis = f"Договор № {contract['Номер']} от {signed:%d.%m.%Y}"
    return InvoicePrintData(
        number=printed_number(doc["Number"]),
        date=date.fromisoformat(doc["Date"][:10]),
        supplier=PartyDetails(
            org["НаименованиеСокращенное"] or org["Description"],
            org["ИНН"],
            org["КПП"],
            org["ЮридическийАдрес"],
        ),
        supplier_bank=bank_details,
        buyer=PartyDetails(
            buyer["НаименованиеПолное"] or buyer["Description"], buyer["ИНН"], buyer["КПП"]
        ),
        rows=[_row(sb, r, bp) for r in doc["Товары"] if not r.get("Отменено")],
        price_includes_vat=includes_vat,
        basis=basis,
        signatories=_signatories(sb, org),
        stamp_png=sb.stamp_png(org["Ref_Key"]),
        payment_purpose=doc.get("НазначениеПлатежа", ""),
    )


def _row(sb, row: dict, bp: bool) -> InvoiceRow:
    st = sb.store
    item = st.data["Catalog_Номенклатура"].get(row.get("Номенклатура_Key", row.get("Номенклатура")))
    if item is None:
        raise ValueError(f"в строке {row['LineNumber']} не указана номенклатура")
    unit_set = "Catalog_КлассификаторЕдиницИзмерения" if bp else "Catalog_УпаковкиЕдиницыИзмерения"
    unit = st.data[unit_set].get(item["ЕдиницаИзмерения_Key"], {}).get("Description", "")
    if bp:
        vat = row["СтавкаНДС"] or "БезНДС"
    else:
        vat = (
            st.data["Catalog_СтавкиНДС"]
            .get(row["СтавкаНДС_Key"], {})
            .get("ПеречислениеСтавкаНДС", "БезНДС")
        )
    return InvoiceRow(
        name=row.get("Содержание") or item["НаименованиеПолное"] or item["Description"],
        quantity=Decimal(row["Количество"]),
        unit=unit,
        price=Decimal(row["Цена"]),
        amount=Decimal(row["Сумма"]),
        vat_rate=VatRate(vat),
    )


def _signatories(sb, org: dict) -> list[Signatory]:
    st, ref = sb.store, org["Ref_Key"]
    director_png, accountant_png = sb.signature_png(ref), sb.signature_png(ref, "accountant")
    if org["ИндивидуальныйПредприниматель_Key"] != ZERO_GUID:
        person = st.data["Catalog_ФизическиеЛица"].get(org["ИндивидуальныйПредприниматель_Key"], {})
        return [Signatory("Предприниматель", initials(person.get("ФИО", "")), director_png)]
    people = {}
    if sb.profile.key == "bp30":
        for row in st.registers["InformationRegister_ОтветственныеЛицаОрганизаций"]:
            if row["СтруктурнаяЕдиница"] == ref:
                person = st.data["Catalog_ФизическиеЛица"].get(row["ФизическоеЛицо_Key"], {})
                people[row["ОтветственноеЛицо"]] = person.get("ФИО", "")
    else:
        for row in st.data["Catalog_ОтветственныеЛицаОрганизаций"].values():
            if row["Owner_Key"] == ref and not row["DeletionMark"]:
                people[row["ОтветственноеЛицо"]] = row["Description"]
    return [
        Signatory("Руководитель", initials(people.get("Руководитель", "")), director_png),
        Signatory("Бухгалтер", initials(people.get("ГлавныйБухгалтер", "")), accountant_png),
    ]
