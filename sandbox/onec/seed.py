"""The demo infobase, from sandbox/demo_data.py, for either profile."""

from sandbox import demo_data

from .images import signature_png, stamp_png
from .schema import ZERO_GUID

_UNITS = {"шт": ("796", "Штука"), "ч": ("356", "Час"), "усл": ("999", "Услуга")}
_BP_VAT_KIND = {"НДС22": "Общая", "НДС10": "Льготная", "НДС0": "Нулевая", "БезНДС": "БезНДС"}
_UT_VAT = {"НДС22": ("22%", 22), "НДС10": ("10%", 10), "НДС0": ("0%", 0), "БезНДС": ("Без НДС", 0)}
_PREFIX = {"romashka_north": "СВ"}
_PRICE_TYPE = "Основная цена продажи"
_PERIOD = "2026-01-01T00:00:00"


def seed(sb):
    bp = sb.profile.key == "bp30"
    st, ref = sb.store, sb.ref
    rub = st.create(
        "Catalog_Валюты",
        {"Code": "643", "Description": "руб.", "НаименованиеПолное": "Российский рубль"},
        ref=ref("Catalog_Валюты", "RUB"),
    )["Ref_Key"]
    bank_set = "Catalog_Банки" if bp else "Catalog_КлассификаторБанков"
    banks = {}
    for bank in (demo_data.SBER_MSK, demo_data.SBER_SPB, demo_data.TBANK):
        banks[bank["bik"]] = st.create(
            bank_set,
            {
                "Code": bank["bik"],
                "Description": bank["bank_name"],
                "КоррСчет": bank["corr_account"],
                "Город": bank["city"],
            },
            ref=ref(bank_set, bank["bik"]),
        )["Ref_Key"]

    for org in demo_data.LEGAL_ENTITIES:
        _seed_org(sb, org, banks, rub, bp)

    unit_set = "Catalog_КлассификаторЕдиницИзмерения" if bp else "Catalog_УпаковкиЕдиницыИзмерения"
    units = {
        u: st.create(
            unit_set,
            {"Code": code, "Description": u, "НаименованиеПолное": full},
            ref=ref(unit_set, u),
        )["Ref_Key"]
        for u, (code, full) in _UNITS.items()
    }
    vat_refs = {}
    if not bp:
        for vat, (title, rate) in _UT_VAT.items():
            vat_refs[vat] = st.create(
                "Catalog_СтавкиНДС",
                {
                    "Description": title,
                    "ПеречислениеСтавкаНДС": vat,
                    "Ставка": rate,
                    "Основная": vat == "НДС22",
                },
                ref=ref("Catalog_СтавкиНДС", vat),
            )["Ref_Key"]
    price_set = "Catalog_ТипыЦенНоменклатуры" if bp else "Catalog_ВидыЦен"
    price_type = st.create(
        price_set,
        {"Description": _PRICE_TYPE, "ЦенаВключаетНДС": True, "ВалютаЦены_Key": rub},
        ref=ref(price_set, "main"),
    )["Ref_Key"]

    groups = {}
    products = [*demo_data.PRODUCTS, _OLD_PRODUCT]
    for product in products:
        group = product["group"]
        if group not in groups:
            groups[group] = st.create(
                "Catalog_Номенклатура",
                {"Description": group, "IsFolder": True},
                ref=ref("Catalog_Номенклатура", f"group:{group}"),
            )["Ref_Key"]
        body = {
            "Description": product["name"],
            "НаименованиеПолное": product["name"],
            "Артикул": product["article"],
            "Parent_Key": groups[group],
            "ЕдиницаИзмерения_Key": units[product["unit"]],
            "DeletionMark": product.get("deleted", False),
        }
        if bp:
            body |= {"Услуга": product["service"], "ВидСтавкиНДС": _BP_VAT_KIND[product["vat"]]}
        else:
            body |= {
                "ТипНоменклатуры": "Услуга" if product["service"] else "Товар",
                "СтавкаНДС_Key": vat_refs[product["vat"]],
            }
        item = st.create(
            "Catalog_Номенклатура", body, ref=ref("Catalog_Номенклатура", product["article"])
        )["Ref_Key"]
        price_row = {
            "Period": _PERIOD,
            "Recorder": ref("Document_УстановкаЦен", "2026"),
            "Recorder_Type": "StandardODATA.Document_УстановкаЦенНоменклатуры",
            "LineNumber": str(products.index(product) + 1),
            "Active": True,
            "Номенклатура_Key": item,
            "Цена": product["price"],
            "Валюта_Key": rub,
        }
        if bp:
            st.add_register_row(
                "InformationRegister_ЦеныНоменклатуры", price_row | {"ТипЦен_Key": price_type}
            )
        else:
            row = price_row | {"ВидЦены_Key": price_type}
            st.add_register_row("InformationRegister_ЦеныНоменклатуры", dict(row))
            st.add_register_row(
                "InformationRegister_ЦеныНоменклатуры25",
                row | {"Упаковка_Key": units[product["unit"]]},
            )
    _seed_counterparties(sb, banks, rub, bp)
    for i, user in enumerate([*demo_data.ONEC_USERS, {"name": "Склад (без почты)", "email": ""}]):
        contacts = []
        if user["email"]:
            contacts = [
                {
                    "LineNumber": "1",
                    "Тип": "АдресЭлектроннойПочты",
                    "Представление": user["email"],
                    "АдресЭП": user["email"],
                    "Значение": user["email"],
                }
            ]
        st.create(
            "Catalog_Пользователи",
            {"Description": user["name"], "КонтактнаяИнформация": contacts, "Code": ""},
            ref=ref("Catalog_Пользователи", user["email"] or f"user{i}"),
        )


_OLD_PRODUCT = {
    "article": "OLD-1",
    "name": "Стол офисный (снят с продажи)",
    "unit": "шт",
    "price": "9000.00",
    "vat": "НДС22",
    "service": False,
    "group": "Мебель",
    "deleted": True,
}


def _seed_org(sb, org, banks, rub, bp):
    st, ref = sb.store, sb.ref
    is_ip = not org["kpp"]
    org_ref = ref("Catalog_Организации", org["key"])
    person = ZERO_GUID
    if is_ip:
        last, first, middle = org["director"].split()
        person = st.create(
            "Catalog_ФизическиеЛица",
            {
                "Description": org["director"],
                "ФИО": org["director"],
                "Фамилия": last,
                "Имя": first,
                "Отчество": middle,
                "ИНН": org["inn"],
            },
            ref=ref("Catalog_ФизическиеЛица", org["key"]),
        )["Ref_Key"]
    body = {
        "Description": org["short_name"],
        "НаименованиеСокращенное": org["short_name"],
        "НаименованиеПолное": org["full_name"],
        "ИНН": org["inn"],
        "КПП": org["kpp"],
        "ОГРН": org["ogrn"],
        "Префикс": _PREFIX.get(org["key"], ""),
        "ИндивидуальныйПредприниматель_Key": person,
        "ЮридическийАдрес": org["address"],
    }
    if bp:
        body["ЮридическоеФизическоеЛицо"] = "ФизическоеЛицо" if is_ip else "ЮридическоеЛицо"
    else:
        body["ЮрФизЛицо"] = "ИндивидуальныйПредприниматель" if is_ip else "ЮрЛицо"
    st.create("Catalog_Организации", body, ref=org_ref)
    account = _bank_account(
        sb, org["bank"], banks, rub, bp, org_ref, "Catalog_Организации", org["key"]
    )
    if bp:
        st.update("Catalog_Организации", org_ref, {"ОсновнойБанковскийСчет_Key": account})
    sb.images[org_ref] = {
        "stamp": stamp_png(org["short_name"], org["inn"]),
        "director": signature_png(org["director"]),
        "accountant": signature_png(org["accountant"] or org["director"]),
    }
    people = [("Руководитель", org["director"], org["director_title"])]
    if org["accountant"]:
        people.append(("ГлавныйБухгалтер", org["accountant"], "Главный бухгалтер"))
    for role, name, title in people if not is_ip else []:
        if bp:
            person_ref = st.create(
                "Catalog_ФизическиеЛица",
                {"Description": name, "ФИО": name},
                ref=ref("Catalog_ФизическиеЛица", f"{org['key']}:{role}"),
            )["Ref_Key"]
            position = st.create(
                "Catalog_Должности",
                {"Description": title},
                ref=ref("Catalog_Должности", f"{org['key']}:{role}"),
            )["Ref_Key"]
            st.add_register_row(
                "InformationRegister_ОтветственныеЛицаОрганизаций",
                {
                    "Period": "2020-01-01T00:00:00",
                    "СтруктурнаяЕдиница": org_ref,
                    "СтруктурнаяЕдиница_Type": "StandardODATA.Catalog_Организации",
                    "ОтветственноеЛицо": role,
                    "ФизическоеЛицо_Key": person_ref,
                    "Должность_Key": position,
                },
            )
        else:
            st.create(
                "Catalog_ОтветственныеЛицаОрганизаций",
                {
                    "Owner_Key": org_ref,
                    "Description": name,
                    "ОтветственноеЛицо": role,
                    "Должность": title,
                    "ДатаНачала": "2020-01-01T00:00:00",
                },
                ref=ref("Catalog_ОтветственныеЛицаОрганизаций", f"{org['key']}:{role}"),
            )


def _bank_account(sb, bank, banks, rub, bp, owner_ref, owner_set, key):
    if bp:
        body = {
            "Owner": owner_ref,
            "Owner_Type": f"StandardODATA.{owner_set}",
            "НомерСчета": bank["account"],
            "Банк_Key": banks[bank["bik"]],
            "ВидСчета": "Расчетный",
        }
        set_name = "Catalog_БанковскиеСчета"
    else:
        body = {
            "Owner_Key": owner_ref,
            "НомерСчета": bank["account"],
            "Банк_Key": banks[bank["bik"]],
            "БИКБанка": bank["bik"],
            "НаименованиеБанка": bank["bank_name"],
            "КоррСчетБанка": bank["corr_account"],
            "ГородБанка": bank["city"],
        }
        set_name = (
            "Catalog_БанковскиеСчетаОрганизаций"
            if owner_set == "Catalog_Организации"
            else "Catalog_БанковскиеСчетаКонтрагентов"
        )
    body |= {
        "Description": f"{bank['account']}, {bank['bank_name']}",
        "ВалютаДенежныхСредств_Key": rub,
    }
    return sb.store.create(set_name, body, ref=sb.ref(set_name, key))["Ref_Key"]


def _seed_counterparties(sb, banks, rub, bp):
    """`vector` exists in 1C (inside a folder) plus a deletion-marked duplicate."""
    st, ref = sb.store, sb.ref
    vector = next(c for c in demo_data.CLIENTS if c["key"] == "vector")
    romashka = ref("Catalog_Организации", "romashka")
    common = {
        "НаименованиеПолное": vector["full_name"],
        "ИНН": vector["inn"],
        "КПП": vector["kpp"],
        "РегистрационныйНомер": vector["ogrn"],
    }
    if bp:
        folder = st.create(
            "Catalog_Контрагенты",
            {"Description": "Покупатели", "IsFolder": True},
            ref=ref("Catalog_Контрагенты", "folder:buyers"),
        )["Ref_Key"]
        extra = {"ЮридическоеФизическоеЛицо": "ЮридическоеЛицо", "Parent_Key": folder}
    else:
        partner = st.create(
            "Catalog_Партнеры",
            {
                "Description": vector["title"],
                "НаименованиеПолное": vector["full_name"],
                "Клиент": True,
                "ЮрФизЛицо": "Компания",
            },
            ref=ref("Catalog_Партнеры", "vector"),
        )["Ref_Key"]
        extra = {
            "ЮрФизЛицо": "ЮрЛицо",
            "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо",
            "Партнер_Key": partner,
        }
    st.create(
        "Catalog_Контрагенты",
        common | extra | {"Description": "Вектор (дубль)", "DeletionMark": True},
        ref=ref("Catalog_Контрагенты", "vector:duplicate"),
    )
    cp_ref = st.create(
        "Catalog_Контрагенты",
        common | extra | {"Description": vector["short_name"]},
        ref=ref("Catalog_Контрагенты", "vector"),
    )["Ref_Key"]
    account = _bank_account(
        sb, vector["bank"], banks, rub, bp, cp_ref, "Catalog_Контрагенты", "vector"
    )
    contract = {
        "Description": "Договор № Д-2026/001 от 01.01.2026",
        "Организация_Key": romashka,
        "Номер": "Д-2026/001",
        "Дата": "2026-01-01T00:00:00",
    }
    if bp:
        contract |= {
            "Owner_Key": cp_ref,
            "ВидДоговора": "СПокупателем",
            "СрокДействия": "2026-12-31T00:00:00",
            "ВалютаВзаиморасчетов_Key": rub,
        }
    else:
        contract |= {
            "Контрагент_Key": cp_ref,
            "Партнер_Key": partner,
            "ТипДоговора": "СПокупателем",
            "ХозяйственнаяОперация": "РеализацияКлиенту",
            "Статус": "Действует",
            "ДатаНачалаДействия": "2026-01-01T00:00:00",
            "ДатаОкончанияДействия": "2026-12-31T00:00:00",
        }
    contract_ref = st.create(
        "Catalog_ДоговорыКонтрагентов", contract, ref=ref("Catalog_ДоговорыКонтрагентов", "vector")
    )["Ref_Key"]
    if bp:
        st.update(
            "Catalog_Контрагенты",
            cp_ref,
            {"ОсновнойБанковскийСчет_Key": account, "ОсновнойДоговорКонтрагента_Key": contract_ref},
        )
