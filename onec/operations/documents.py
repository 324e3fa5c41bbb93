"""Contracts and invoices (BP: Счет на оплату покупателю; UT/KA: Заказ клиента), safe to retry."""

import logging
from datetime import date, datetime
from decimal import Decimal

from documents.money import Line

from ..connector import Connector
from ..odata import EMPTY_DATE, Guid, as_decimal, composite, numbered, odata_filter, parse_date
from ..print_client import printed_number
from ..profiles import CURRENCY_RUB_CODE
from .catalog import vat_rate_refs
from .counterparties import MARKER_PREFIX
from .types import Contract, Counterparty, Invoice, InvoiceLine

log = logging.getLogger("onec.operations")

CONTRACT_KIND = "СПокупателем"
# Keyed by `spec.is_bp`: BP owns a contract by the counterparty, UT/KA name it in an attribute.
_CONTRACT_OWNER_FIELD = {True: "Owner_Key", False: "Контрагент_Key"}
_CONTRACT_KIND_FIELD = {True: "ВидДоговора", False: "ТипДоговора"}


def _date_value(value: date | None) -> str:
    return f"{value.isoformat()}T00:00:00" if value else EMPTY_DATE


def find_or_create_contract(
    c: Connector,
    *,
    counterparty: Counterparty,
    organization_ref: str,
    number: str,
    date: date,
    valid_until: date | None = None,
    bank_account_ref: str = "",
) -> Contract:
    """The sales contract with this number between our organization and the counterparty.

    Looked up by owner, organization, kind and number first, so a retry never duplicates it.
    """
    bp = c.spec.is_bp
    rows = _sales_contract_rows(
        c, counterparty.ref_key, Организация_Key=Guid(organization_ref), Номер=number
    )
    rows.sort(key=lambda r: (r.get("Code") or "", r["Ref_Key"]))
    if rows:
        return _contract(rows[0], bp)
    kind_field = _CONTRACT_KIND_FIELD[bp]
    name = f"№ {number} от {date:%d.%m.%Y}"
    body = {
        "Description": name,
        "Организация_Key": organization_ref,
        kind_field: CONTRACT_KIND,
        "Номер": number,
        "Дата": _date_value(date),
        "Комментарий": f"{MARKER_PREFIX}contract",
    }
    if bp:
        body |= {"Owner_Key": counterparty.ref_key, "СрокДействия": _date_value(valid_until)}
        currency = _rub(c)
        if currency:
            body["ВалютаВзаиморасчетов_Key"] = currency
    else:
        body |= {
            "Контрагент_Key": counterparty.ref_key,
            "Партнер_Key": counterparty.partner_ref or None,
            "ХозяйственнаяОперация": "РеализацияКлиенту",
            "Статус": "Действует",
            "ДатаНачалаДействия": _date_value(date),
            "ДатаОкончанияДействия": _date_value(valid_until),
            "НаименованиеДляПечати": f"Договор {name}",
        }
        if bank_account_ref:
            body["БанковскийСчет_Key"] = bank_account_ref
    row = c.odata.create(c.spec.contracts, {k: v for k, v in body.items() if v is not None})
    return _contract(row, bp, created=True)


def sales_contracts_of(c: Connector, counterparty_ref: str) -> list[Contract]:
    """Live sales contracts of a counterparty (for the yearly-contract library)."""
    rows = _sales_contract_rows(c, counterparty_ref)
    return [_contract(row, c.spec.is_bp) for row in sorted(rows, key=lambda r: r["Ref_Key"])]


def _sales_contract_rows(c: Connector, counterparty_ref: str, **equal) -> list[dict]:
    """Live sales contracts of the counterparty whose fields equal `equal` (name → value)."""
    bp = c.spec.is_bp
    conditions = {
        _CONTRACT_OWNER_FIELD[bp]: Guid(counterparty_ref),
        _CONTRACT_KIND_FIELD[bp]: CONTRACT_KIND,
        **equal,
        "DeletionMark": False,
    }
    if bp:
        conditions["IsFolder"] = False
    template = " and ".join(f"{name} eq {{}}" for name in conditions)
    return c.odata.query(c.spec.contracts, filter=odata_filter(template, *conditions.values()))


def _contract(row: dict, bp: bool, *, created: bool = False) -> Contract:
    until = row.get("СрокДействия") if bp else row.get("ДатаОкончанияДействия")
    parsed_date = parse_date(row.get("Дата"))
    parsed_until = parse_date(until)
    return Contract(
        ref_key=row["Ref_Key"],
        number=row.get("Номер", ""),
        date=parsed_date.date() if parsed_date else None,
        valid_until=parsed_until.date() if parsed_until else None,
        name=row.get("Description", ""),
        created=created,
        organization_ref=row.get("Организация_Key", ""),
    )


def _rub(c: Connector) -> str | None:
    def read() -> str | None:
        flt = odata_filter("Code eq {}", CURRENCY_RUB_CODE)
        row = c.odata.first(c.spec.currencies, filter=flt)
        return row["Ref_Key"] if row else None

    return c.once("currency_rub", read)


def invoice_marker(idempotency_key: str) -> str:
    return f"{MARKER_PREFIX}{idempotency_key}"


def find_invoice(c: Connector, idempotency_key: str, counterparty_ref: str) -> Invoice | None:
    """The invoice/order an earlier attempt with this key created (the marker in Комментарий)."""
    row = c.odata.first(
        c.spec.invoice,
        filter=odata_filter(
            "Контрагент_Key eq {} and DeletionMark eq {} and substringof({}, Комментарий)",
            Guid(counterparty_ref),
            False,
            invoice_marker(idempotency_key),
        ),
    )
    return _invoice(c, row) if row else None


def create_invoice(
    c: Connector,
    *,
    idempotency_key: str,
    organization_ref: str,
    counterparty: Counterparty,
    contract_ref: str,
    bank_account_ref: str,
    lines: list[InvoiceLine],
    responsible_ref: str = "",
    on_date: datetime | None = None,
    vat_payer: bool = True,
    post: bool = True,
) -> Invoice:
    """Create (or find, on a retry) the invoice/order with goods rows, and post it.

    A retry after a lost response finds the document by the `docs1c:<key>` marker and only
    posts it if the first attempt did not get that far.
    """
    existing = find_invoice(c, idempotency_key, counterparty.ref_key)
    if existing is None:
        body = _invoice_body(
            c,
            organization_ref=organization_ref,
            counterparty=counterparty,
            contract_ref=contract_ref,
            bank_account_ref=bank_account_ref,
            lines=lines,
            responsible_ref=responsible_ref,
            on_date=on_date,
            vat_payer=vat_payer,
        )
        body["Комментарий"] = invoice_marker(idempotency_key)
        row = c.odata.create(c.spec.invoice, body)
        existing = _invoice(c, row, created=True)
        log.info("created 1C %s %s", c.spec.invoice, existing.raw_number)
    if post and not existing.posted:
        c.odata.post_document(c.spec.invoice, existing.ref_key)
        existing = Invoice(**{**existing.__dict__, "posted": True})
    return existing


def _invoice_body(
    c: Connector,
    *,
    organization_ref,
    counterparty,
    contract_ref,
    bank_account_ref,
    lines,
    responsible_ref,
    on_date,
    vat_payer,
) -> dict:
    bp = c.spec.is_bp
    body: dict = {"Организация_Key": organization_ref, "Контрагент_Key": counterparty.ref_key}
    if on_date:
        body["Date"] = on_date.replace(microsecond=0, tzinfo=None).isoformat()
    currency = _rub(c)
    rows = []
    rate_refs = {} if bp else vat_rate_refs(c)
    for line in lines:
        money = Line(quantity=line.quantity, price=line.price, vat_rate=line.vat_rate)
        vat = money.vat(price_includes_vat=True)
        row = {
            "Содержание": line.name,
            "Количество": _num(line.quantity),
            "Цена": _num(line.price),
            "Сумма": _num(money.amount),
            "СуммаНДС": _num(vat),
        }
        if bp:
            row |= composite("Номенклатура", c.spec.nomenclature, line.nomenclature_ref)
            row["СтавкаНДС"] = line.vat_rate.value
        else:
            row |= {
                "Номенклатура_Key": line.nomenclature_ref,
                "КоличествоУпаковок": _num(line.quantity),
                "СтавкаНДС_Key": rate_refs.get(line.vat_rate),
                "СуммаСНДС": _num(money.amount),
            }
            if line.unit_ref_key:
                row["Упаковка_Key"] = line.unit_ref_key
        rows.append({k: v for k, v in row.items() if v is not None})
    body["Товары"] = numbered(rows)
    if bp:
        body |= {
            "ВидОперации": "ТоварыИУслуги",
            "ДоговорКонтрагента_Key": contract_ref,
            "СтруктурнаяЕдиница_Key": bank_account_ref,
            "СуммаВключаетНДС": True,
        }
        if currency:
            body["ВалютаДокумента_Key"] = currency
        if responsible_ref:
            body["Ответственный_Key"] = responsible_ref
    else:
        body |= {
            "Партнер_Key": counterparty.partner_ref,
            "Договор_Key": contract_ref,
            "БанковскийСчет_Key": bank_account_ref,
            "ЦенаВключаетНДС": True,
            "НалогообложениеНДС": "ПродажаОблагаетсяНДС" if vat_payer else "ПродажаНеОблагаетсяНДС",
            "Статус": "КОтгрузке",
            "ХозяйственнаяОперация": "РеализацияКлиенту",
        }
        if currency:
            body["Валюта_Key"] = currency
        if responsible_ref:
            body["Менеджер_Key"] = responsible_ref
    return body


def _num(value: Decimal) -> float | int:
    # JSON has no decimals; 1C reads numbers. Exact for money (2 places) and quantities (3).
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _invoice(c: Connector, row: dict, *, created: bool = False) -> Invoice:
    return Invoice(
        ref_key=row["Ref_Key"],
        entity_set=c.spec.invoice,
        number=printed_number(row.get("Number", "")),
        raw_number=row.get("Number", ""),
        date=parse_date(row.get("Date")),
        posted=bool(row.get("Posted")),
        total=as_decimal(row.get("СуммаДокумента")),
        created=created,
    )
