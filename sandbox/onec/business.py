"""What 1C does beyond storing: posting checks, document totals, payment status, helpers that
play the accountant (payments, shipments) for back-sync tests."""

from datetime import date as date_cls
from datetime import datetime
from decimal import Decimal

from .schema import UNDEFINED_TYPE, ZERO_GUID
from .store import ODataError, Store


def _d(value) -> Decimal:
    return Decimal(str(value or 0))


def recompute_totals(store: Store, name: str, record: dict):
    """1C fills СуммаДокумента in the document's BeforeWrite handler; rows are taken as sent."""
    if name == "Document_СчетНаОплатуПокупателю":
        rows = record["Товары"]
        total = sum((_d(r["Сумма"]) for r in rows), Decimal(0))
        if not record["СуммаВключаетНДС"]:
            total += sum((_d(r["СуммаНДС"]) for r in rows), Decimal(0))
        record["СуммаДокумента"] = total
    elif name == "Document_ЗаказКлиента":
        rows = [r for r in record["Товары"] if not r["Отменено"]]
        record["СуммаДокумента"] = sum((_d(r["СуммаСНДС"]) for r in rows), Decimal(0))


def _business(message: str):
    return ODataError("-1", message)


def _require_ref(store: Store, set_name: str, ref: str, title: str) -> dict:
    target = store.data.get(set_name, {}).get(ref) if ref != ZERO_GUID else None
    if target is None:
        raise _business(f'Поле "{title}" не заполнено')
    return target


def check_posting(store: Store, name: str, record: dict):
    if record["DeletionMark"]:
        raise _business("Документ помечен на удаление и не может быть проведен")
    if name in ("Document_СчетНаОплатуПокупателю", "Document_ЗаказКлиента"):
        _require_ref(store, "Catalog_Организации", record["Организация_Key"], "Организация")
        counterparty = _require_ref(
            store, "Catalog_Контрагенты", record["Контрагент_Key"], "Контрагент"
        )
        if counterparty["DeletionMark"]:
            raise _business(f'Контрагент "{counterparty["Description"]}" помечен на удаление')
        if name == "Document_ЗаказКлиента":
            _require_ref(store, "Catalog_Партнеры", record["Партнер_Key"], "Клиент")
        contract_key = record.get("ДоговорКонтрагента_Key", ZERO_GUID)
        contract = store.data["Catalog_ДоговорыКонтрагентов"].get(contract_key)
        if (
            contract
            and contract.get("Owner_Key", record["Контрагент_Key"]) != record["Контрагент_Key"]
        ):
            raise _business("Договор не соответствует контрагенту документа")
        rows = record["Товары"]
        if not rows:
            raise _business('Не заполнена табличная часть "Товары"')
        for row in rows:
            key = row.get("Номенклатура_Key", row.get("Номенклатура"))
            item = store.data["Catalog_Номенклатура"].get(key)
            line = row["LineNumber"]
            if item is None:
                raise _business(f'Не заполнено поле "Номенклатура" в строке {line} списка "Товары"')
            if item["DeletionMark"]:
                raise _business(
                    f'Номенклатура "{item["Description"]}" в строке {line} помечена на удаление'
                )
            if _d(row["Количество"]) <= 0:
                raise _business(f'Не заполнено поле "Количество" в строке {line} списка "Товары"')


def set_bp_status(store: Store, invoice: dict, status: str | None = None):
    """BP keeps the invoice's payment status in InformationRegister_СтатусыДокументов."""
    rows = store.registers.get("InformationRegister_СтатусыДокументов")
    if rows is None:
        return
    if status is None:
        paid = paid_amount(store, invoice["Ref_Key"])
        total = _d(invoice["СуммаДокумента"])
        if paid <= 0:
            status = "НеОплачен"
        elif paid < total:
            status = "ОплаченЧастично"
        else:
            status = "Оплачен"
    for row in rows:
        if row["Документ"] == invoice["Ref_Key"]:
            row["Статус"] = status
            return
    store.add_register_row(
        "InformationRegister_СтатусыДокументов",
        {
            "Документ": invoice["Ref_Key"],
            "Документ_Type": "StandardODATA.Document_СчетНаОплатуПокупателю",
            "Организация_Key": invoice["Организация_Key"],
            "Статус": status,
        },
    )


def paid_amount(store: Store, doc_ref: str) -> Decimal:
    total = Decimal(0)
    for name in (
        "Document_ПоступлениеНаРасчетныйСчет",
        "Document_ПоступлениеБезналичныхДенежныхСредств",
    ):
        for payment in store.data.get(name, {}).values():
            if not payment["Posted"] or payment["DeletionMark"]:
                continue
            for row in payment["РасшифровкаПлатежа"]:
                if row.get("СчетНаОплату_Key", row.get("ОснованиеПлатежа")) == doc_ref:
                    total += _d(row.get("СуммаПлатежа", row.get("Сумма")))
    return total


def _date(value) -> str:
    if value is None:
        return datetime.now().replace(microsecond=0).isoformat()
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date_cls):
        return f"{value.isoformat()}T00:00:00"
    return str(value) if "T" in str(value) else f"{value}T00:00:00"


def add_payment(store: Store, profile, doc_ref, amount, date=None, counterparty_ref=None) -> str:
    doc_ref = str(doc_ref).lower() if doc_ref else ZERO_GUID
    doc = store.data[profile.invoice_set].get(doc_ref) if doc_ref != ZERO_GUID else None
    if doc_ref != ZERO_GUID and doc is None:
        raise KeyError(f"no {profile.invoice_set} {doc_ref}")
    counterparty = (
        str(counterparty_ref).lower()
        if counterparty_ref
        else (doc["Контрагент_Key"] if doc else ZERO_GUID)
    )
    org = doc["Организация_Key"] if doc else _first_org(store)
    amount = Decimal(str(amount))
    if profile.key == "bp30":
        body = {
            "Date": _date(date),
            "ВидОперации": "ОплатаПокупателя",
            "Организация_Key": org,
            "СчетОрганизации_Key": doc["СтруктурнаяЕдиница_Key"] if doc else ZERO_GUID,
            "Контрагент_Key": counterparty,
            "СуммаДокумента": str(amount),
            "НазначениеПлатежа": f"Оплата по счету № {doc['Number']}" if doc else "Оплата",
            "РасшифровкаПлатежа": [
                {
                    "LineNumber": "1",
                    "ДоговорКонтрагента_Key": doc["ДоговорКонтрагента_Key"] if doc else ZERO_GUID,
                    "СчетНаОплату_Key": doc_ref,
                    "СуммаПлатежа": str(amount),
                    "СтавкаНДС": "НДС22",
                }
            ],
        }
    else:
        partner = (
            store.data["Catalog_Контрагенты"].get(counterparty, {}).get("Партнер_Key", ZERO_GUID)
        )
        body = {
            "Date": _date(date),
            "ХозяйственнаяОперация": "ПоступлениеОплатыОтКлиента",
            "Организация_Key": org,
            "БанковскийСчет_Key": doc["БанковскийСчет_Key"] if doc else ZERO_GUID,
            "Контрагент_Key": counterparty,
            "СуммаДокумента": str(amount),
            "НазначениеПлатежа": f"Оплата по заказу № {doc['Number']}" if doc else "Оплата",
            "РасшифровкаПлатежа": [
                {
                    "LineNumber": "1",
                    "Партнер_Key": partner,
                    "ОснованиеПлатежа": doc_ref,
                    "ОснованиеПлатежа_Type": (
                        "StandardODATA.Document_ЗаказКлиента" if doc else UNDEFINED_TYPE
                    ),
                    "Сумма": str(amount),
                }
            ],
        }
    with store.lock:
        payment = store.create(profile.payment_set, body)
        payment["Posted"] = True
        if doc is not None and profile.key == "bp30":
            set_bp_status(store, doc)
    return payment["Ref_Key"]


def _first_org(store: Store) -> str:
    return next(iter(store.data["Catalog_Организации"]), ZERO_GUID)


def add_shipment(store: Store, profile, doc_ref, amount, date=None) -> str:
    doc_ref = str(doc_ref).lower()
    doc = store.data[profile.invoice_set].get(doc_ref)
    if doc is None:
        raise KeyError(f"no {profile.invoice_set} {doc_ref}")
    body = {
        "Date": _date(date),
        "Организация_Key": doc["Организация_Key"],
        "Контрагент_Key": doc["Контрагент_Key"],
        "СуммаДокумента": str(Decimal(str(amount))),
    }
    if profile.key == "bp30":
        body |= {
            "ВидОперации": "Товары",
            "ДоговорКонтрагента_Key": doc["ДоговорКонтрагента_Key"],
            "СчетНаОплатуПокупателю_Key": doc_ref,
            "СуммаВключаетНДС": doc["СуммаВключаетНДС"],
        }
    else:
        body |= {
            "Партнер_Key": doc["Партнер_Key"],
            "Договор_Key": doc["Договор_Key"],
            "ЗаказКлиента": doc_ref,
            "ЗаказКлиента_Type": "StandardODATA.Document_ЗаказКлиента",
            "ЦенаВключаетНДС": doc["ЦенаВключаетНДС"],
            "Статус": "Отгружено",
        }
    with store.lock:
        shipment = store.create(profile.shipment_set, body)
        shipment["Posted"] = True
    return shipment["Ref_Key"]
