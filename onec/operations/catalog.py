"""Reference data read from 1C: our organizations, nomenclature with prices, users."""

import logging
from datetime import datetime
from decimal import Decimal

from documents.money import VatRate

from ..connector import Connector
from ..odata import Guid, as_decimal, is_empty_ref, odata_filter, ref_or_empty
from ..profiles import vat_from_enum
from .types import BankAccount, NomenclatureItem, OneCUser, Organization, Signatory

log = logging.getLogger("onec.operations")

_LIVE = odata_filter("DeletionMark eq {}", False)


# ---- organizations ----------------------------------------------------------------------------


def list_organizations(c: Connector, *, include_deleted: bool = False) -> list[Organization]:
    """Our legal entities with their bank accounts and signatories (Руководитель, Бухгалтер)."""
    spec = c.spec
    rows = list(c.odata.iter_all(spec.organizations, filter=None if include_deleted else _LIVE))
    accounts = _org_accounts(c)
    signatories = _signatories(c)
    result = []
    for row in rows:
        ref = row["Ref_Key"]
        is_ip = (
            row.get("ЮридическоеФизическоеЛицо") == "ФизическоеЛицо"
            or row.get("ЮрФизЛицо") == "ИндивидуальныйПредприниматель"
        )
        result.append(
            Organization(
                ref_key=ref,
                name=row.get("НаименованиеСокращенное") or row.get("Description", ""),
                full_name=row.get("НаименованиеПолное", ""),
                inn=row.get("ИНН", ""),
                kpp=row.get("КПП", ""),
                ogrn=row.get("ОГРН", ""),
                address=row.get("ЮридическийАдрес", ""),
                is_sole_trader=is_ip,
                deleted=bool(row.get("DeletionMark")),
                main_account_ref=ref_or_empty(row.get("ОсновнойБанковскийСчет_Key")),
                accounts=accounts.get(ref, []),
                signatories=signatories.get(ref, []),
            )
        )
    return result


def _org_accounts(c: Connector) -> dict[str, list[BankAccount]]:
    spec = c.spec
    if spec.accounts_owner_composite:
        flt = odata_filter(
            "DeletionMark eq {} and Owner_Type eq {}", False, f"StandardODATA.{spec.organizations}"
        )
        owner_field = "Owner"
    else:
        flt = _LIVE
        owner_field = "Owner_Key"
    rows = list(c.odata.iter_all(spec.org_accounts, filter=flt))
    banks = {}
    if spec.accounts_owner_composite:
        bank_refs = {r.get("Банк_Key") for r in rows if not is_empty_ref(r.get("Банк_Key"))}
        banks = _by_refs(c, spec.banks, bank_refs)
    result: dict[str, list[BankAccount]] = {}
    for row in rows:
        if row.get("Закрыт"):
            continue
        bank = banks.get(row.get("Банк_Key"), {})
        result.setdefault(row.get(owner_field), []).append(
            BankAccount(
                ref_key=row["Ref_Key"],
                account=row.get("НомерСчета", ""),
                bik=row.get("БИКБанка") or bank.get("Code", ""),
                bank_name=row.get("НаименованиеБанка") or bank.get("Description", ""),
                corr_account=row.get("КоррСчетБанка") or bank.get("КоррСчет", ""),
                bank_city=row.get("ГородБанка") or bank.get("Город", ""),
            )
        )
    return result


def _signatories(c: Connector) -> dict[str, list[Signatory]]:
    """Current Руководитель / ГлавныйБухгалтер per organization (latest period wins)."""
    spec = c.spec
    if not spec.signatories:
        return {}
    result: dict[str, dict[str, Signatory]] = {}
    if spec.is_bp:
        rows = sorted(
            c.odata.iter_all(spec.signatories, orderby="Period"), key=lambda r: r.get("Period", "")
        )
        persons = _by_refs(c, "Catalog_ФизическиеЛица", {r.get("ФизическоеЛицо_Key") for r in rows})
        titles = _by_refs(c, "Catalog_Должности", {r.get("Должность_Key") for r in rows})
        for row in rows:
            person = persons.get(row.get("ФизическоеЛицо_Key"), {})
            role = row.get("ОтветственноеЛицо", "")
            result.setdefault(row.get("СтруктурнаяЕдиница"), {})[role] = Signatory(
                role=role,
                name=person.get("ФИО") or person.get("Description", ""),
                title=titles.get(row.get("Должность_Key"), {}).get("Description", ""),
            )
    else:
        rows = sorted(
            c.odata.iter_all(spec.signatories, filter=_LIVE), key=lambda r: r.get("ДатаНачала", "")
        )
        now = datetime.now().isoformat(timespec="seconds")
        for row in rows:
            ends = row.get("ДатаОкончания") or ""
            if ends and not ends.startswith("0001") and ends < now:
                continue
            role = row.get("ОтветственноеЛицо", "")
            result.setdefault(row.get("Owner_Key"), {})[role] = Signatory(
                role=role, name=row.get("Description", ""), title=row.get("Должность", "")
            )
    return {org: list(by_role.values()) for org, by_role in result.items()}


def _by_refs(c: Connector, entity_set: str, refs: set) -> dict[str, dict]:
    """Rows of a small catalog by Ref_Key, in batches of `or`-ed keys (no N+1 requests)."""
    refs = sorted(r for r in refs if not is_empty_ref(r))
    found: dict[str, dict] = {}
    for start in range(0, len(refs), 40):
        chunk = refs[start : start + 40]
        flt = " or ".join(odata_filter("Ref_Key eq {}", Guid(r)) for r in chunk)
        for row in c.odata.query(entity_set, filter=flt):
            found[row["Ref_Key"]] = row
    return found


# ---- nomenclature -----------------------------------------------------------------------------


def nomenclature_by_articles(c: Connector, articles: list[str]) -> dict[str, NomenclatureItem]:
    """Live items by article (first by Code when 1C has duplicates), with unit, VAT and price."""
    articles = sorted({a for a in articles if a})
    rows: list[dict] = []
    for start in range(0, len(articles), 30):
        chunk = articles[start : start + 30]
        by_article = " or ".join(odata_filter("Артикул eq {}", a) for a in chunk)
        rows += c.odata.query(
            c.spec.nomenclature,
            filter=f"({by_article}) and "
            + odata_filter("DeletionMark eq {} and IsFolder eq {}", False, False),
        )
    items = _items(c, rows, prices=_prices(c, {r["Ref_Key"] for r in rows}))
    result: dict[str, NomenclatureItem] = {}
    for _row, item in sorted(zip(rows, items, strict=True), key=lambda p: p[0].get("Code", "")):
        result.setdefault(item.article, item)
    return result


def list_nomenclature(c: Connector) -> list[NomenclatureItem]:
    """Every item, deletion-marked ones too (the cache marks them), folders resolved to names."""
    rows = list(c.odata.iter_all(c.spec.nomenclature))
    folders = {r["Ref_Key"]: r.get("Description", "") for r in rows if r.get("IsFolder")}
    items = [r for r in rows if not r.get("IsFolder")]
    return _items(c, items, prices=_prices(c, None), folders=folders)


def _items(c: Connector, rows: list[dict], *, prices: dict, folders=None) -> list[NomenclatureItem]:
    spec = c.spec
    units = _by_refs(c, spec.units, {r.get("ЕдиницаИзмерения_Key") for r in rows})
    rates = _vat_rates(c)
    folders = folders if folders is not None else {}
    result = []
    for row in rows:
        unit = units.get(row.get("ЕдиницаИзмерения_Key"), {})
        if spec.vat_rates:
            vat = rates.get(row.get("СтавкаНДС_Key"), VatRate.VAT22)
            service = row.get("ТипНоменклатуры") == "Услуга"
        else:
            vat = vat_from_enum(row.get("ВидСтавкиНДС") or "Общая")
            service = bool(row.get("Услуга"))
        parent = row.get("Parent_Key")
        result.append(
            NomenclatureItem(
                ref_key=row["Ref_Key"],
                article=row.get("Артикул", ""),
                name=row.get("Description") or row.get("НаименованиеПолное", ""),
                unit=unit.get("Description", ""),
                unit_ref_key=ref_or_empty(row.get("ЕдиницаИзмерения_Key")),
                vat_rate=vat,
                price=prices.get(row["Ref_Key"]),
                is_service=service,
                group_ref_key=ref_or_empty(parent),
                group_name=folders.get(parent, ""),
                deleted=bool(row.get("DeletionMark")),
            )
        )
    return result


def _vat_rates(c: Connector) -> dict[str, VatRate]:
    """UT/KA: Catalog_СтавкиНДС ref → VatRate (BP keeps the rate on the item)."""
    if not c.spec.vat_rates:
        return {}
    return c.once(
        "vat_rates",
        lambda: {
            row["Ref_Key"]: vat_from_enum(row.get("ПеречислениеСтавкаНДС", ""))
            for row in c.odata.query(c.spec.vat_rates)
        },
    )


def vat_rate_refs(c: Connector) -> dict[VatRate, str]:
    """UT/KA: VatRate → Catalog_СтавкиНДС ref, for writing order rows."""
    refs: dict[VatRate, str] = {}
    for ref, rate in _vat_rates(c).items():
        refs.setdefault(rate, ref)
    return refs


def price_type_ref(c: Connector) -> str | None:
    return c.once("price_type", lambda: _read_price_type_ref(c))


def _read_price_type_ref(c: Connector) -> str | None:
    row = c.odata.first(c.spec.price_types, filter=odata_filter("Description eq {}", c.price_type))
    if row is None:
        log.warning("1C has no price type %r", c.price_type)
    return row["Ref_Key"] if row else None


def _prices(c: Connector, item_refs: set | None) -> dict[str, Decimal]:
    """Current price of each item for the portal's price type: latest Period ≤ now."""
    type_ref = price_type_ref(c)
    if type_ref is None or item_refs == set():
        return {}
    spec = c.spec
    flt = odata_filter(f"{spec.price_type_field} eq {{}}", Guid(type_ref))
    if item_refs and len(item_refs) <= 40:
        by_item = " or ".join(
            odata_filter("Номенклатура_Key eq {}", Guid(r)) for r in sorted(item_refs)
        )
        flt += f" and ({by_item})"
    now = datetime.now().isoformat(timespec="seconds")
    latest: dict[str, tuple[str, Decimal]] = {}
    for row in c.odata.iter_all(spec.prices, filter=flt, orderby="Period"):
        period = row.get("Period", "")
        if period > now or row.get("Active") is False:
            continue
        item = row.get("Номенклатура_Key")
        if item not in latest or latest[item][0] <= period:
            latest[item] = (period, as_decimal(row.get("Цена")))
    return {item: price for item, (_, price) in latest.items()}


# ---- users ------------------------------------------------------------------------------------


def list_users(c: Connector) -> list[OneCUser]:
    """Active users with their work e-mail (Тип = АдресЭлектроннойПочты in КонтактнаяИнформация)."""
    users = []
    for row in c.odata.iter_all(c.spec.users, filter=_LIVE):
        if row.get("Недействителен") or row.get("Служебный"):
            continue
        email = ""
        for contact in row.get("КонтактнаяИнформация") or []:
            if contact.get("Тип") == "АдресЭлектроннойПочты":
                email = (contact.get("АдресЭП") or contact.get("Представление") or "").strip()
                if email:
                    break
        users.append(OneCUser(ref_key=row["Ref_Key"], name=row.get("Description", ""), email=email))
    return users


def user_by_email(c: Connector, email: str) -> OneCUser | None:
    """1C cannot filter on a tabular section, so users are read and matched here."""
    wanted = (email or "").strip().lower()
    if not wanted:
        return None
    return next((u for u in list_users(c) if u.email.lower() == wanted), None)
