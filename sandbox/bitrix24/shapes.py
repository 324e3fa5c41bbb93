"""Builders of single REST rows (requisite, bank detail, company, contact, user, deal product
row) in the exact shapes of the reference answers; seed.py composes them into the demo world."""

from decimal import Decimal

CREATED = "2026-01-12T10:00:00+03:00"
PRESET_NAMES = {"1": "Организация", "2": "ИП", "3": "Физ. лицо"}


def money(value) -> float:
    # Bitrix24 sends row prices as JSON numbers (see crm.deal.productrows.get.json).
    return float(Decimal(str(value)).quantize(Decimal("0.01")))


def number(value):
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else float(d)


def split_address(text: str) -> dict:
    """«125009, г. Москва, ул. Тверская, д. 7, офис 12» -> crm.address fields."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out = {"POSTAL_CODE": None, "CITY": None, "REGION": None, "ADDRESS_1": None, "ADDRESS_2": None}
    street = []
    for part in parts:
        if part.isdigit() and len(part) == 6:
            out["POSTAL_CODE"] = part
        elif part.startswith("г. "):
            out["CITY"] = part[3:]
        elif "обл." in part:
            out["REGION"] = part
        elif part.startswith(("кв.", "офис")):
            out["ADDRESS_2"] = part
        else:
            street.append(part)
    out["ADDRESS_1"] = ", ".join(street) or None
    return out


def requisite(rid, entity_type_id, entity_id, party, preset_id) -> dict:
    person = preset_id in ("2", "3")
    names = {
        "RQ_FIRST_NAME": party.get("first_name") if person else None,
        "RQ_LAST_NAME": party.get("last_name") if person else None,
        "RQ_SECOND_NAME": party.get("second_name") if person else None,
    }
    if person and not names["RQ_LAST_NAME"]:
        last, first, second = ([*party["director"].split(), "", "", ""])[:3]
        names = {"RQ_FIRST_NAME": first, "RQ_LAST_NAME": last, "RQ_SECOND_NAME": second}
    return {
        "ID": str(rid),
        "ENTITY_TYPE_ID": str(entity_type_id),
        "ENTITY_ID": str(entity_id),
        "PRESET_ID": preset_id,
        "DATE_CREATE": CREATED,
        "DATE_MODIFY": "",
        "CREATED_BY_ID": "1",
        "MODIFY_BY_ID": None,
        "NAME": PRESET_NAMES[preset_id],
        "CODE": None,
        "XML_ID": None,
        "ORIGINATOR_ID": None,
        "ACTIVE": "Y",
        "ADDRESS_ONLY": "N",
        "SORT": "500",
        "RQ_NAME": party["full_name"] if person else None,
        **names,
        "RQ_COMPANY_ID": None,
        "RQ_COMPANY_NAME": None if preset_id == "3" else party["short_name"],
        "RQ_COMPANY_FULL_NAME": None if preset_id == "3" else party["full_name"],
        "RQ_COMPANY_REG_DATE": None,
        "RQ_DIRECTOR": party.get("director") or None,
        "RQ_ACCOUNTANT": party.get("accountant") or None,
        "RQ_CEO_NAME": None,
        "RQ_CEO_WORK_POS": party.get("director_title") or None,
        "RQ_CONTACT": None,
        "RQ_EMAIL": party.get("email") or None,
        "RQ_PHONE": None,
        "RQ_FAX": None,
        "RQ_INN": party.get("inn") or None,
        "RQ_KPP": party.get("kpp") or None,
        "RQ_OGRN": (party.get("ogrn") or None) if preset_id == "1" else None,
        "RQ_OGRNIP": (party.get("ogrn") or None) if preset_id == "2" else None,
        "RQ_OKPO": None,
        "RQ_OKTMO": None,
        "RQ_OKVED": None,
        "RQ_VAT_PAYER": "Y" if party.get("vat", True) and preset_id != "3" else "N",
        "RQ_BASE_DOC": None,
    }


def bank_detail(bid, requisite_id, bank: dict) -> dict:
    return {
        "ID": str(bid),
        "ENTITY_ID": str(requisite_id),
        "COUNTRY_ID": "1",
        "DATE_CREATE": CREATED,
        "DATE_MODIFY": "",
        "CREATED_BY_ID": "1",
        "MODIFY_BY_ID": None,
        "NAME": bank["bank_name"],
        "CODE": None,
        "XML_ID": None,
        "ORIGINATOR_ID": None,
        "ACTIVE": "Y",
        "SORT": "500",
        "RQ_BANK_NAME": bank["bank_name"],
        "RQ_BANK_CODE": None,
        "RQ_BANK_ADDR": f"г. {bank['city']}",
        "RQ_BANK_ROUTE_NUM": None,
        "RQ_BIK": bank["bik"],
        "RQ_MFO": None,
        "RQ_ACC_NAME": None,
        "RQ_ACC_NUM": bank["account"],
        "RQ_ACC_TYPE": None,
        "RQ_IIK": None,
        "RQ_ACC_CURRENCY": "RUB",
        "RQ_COR_ACC_NUM": bank["corr_account"],
        "RQ_IBAN": None,
        "RQ_SWIFT": None,
        "RQ_BIC": None,
        "COMMENTS": None,
    }


def company(cid, title, *, my: bool, email: str = "") -> dict:
    company = {
        "ID": str(cid),
        "COMPANY_TYPE": "CUSTOMER" if not my else "",
        "TITLE": title,
        "LOGO": None,
        "HAS_PHONE": "N",
        "HAS_EMAIL": "Y" if email else "N",
        "ASSIGNED_BY_ID": "1",
        "CREATED_BY_ID": "1",
        "MODIFY_BY_ID": "1",
        "CURRENCY_ID": "RUB",
        "COMMENTS": "",
        "DATE_CREATE": CREATED,
        "DATE_MODIFY": CREATED,
        "OPENED": "Y",
        "IS_MY_COMPANY": "Y" if my else "N",
    }
    if email:
        company["EMAIL"] = [
            {"ID": str(cid * 10), "VALUE_TYPE": "WORK", "VALUE": email, "TYPE_ID": "EMAIL"}
        ]
    return company


def contact(cid, party: dict) -> dict:
    contact = {
        "ID": str(cid),
        "POST": "",
        "COMMENTS": "",
        "HONORIFIC": None,
        "NAME": party["first_name"],
        "SECOND_NAME": party["second_name"],
        "LAST_NAME": party["last_name"],
        "PHOTO": None,
        "TYPE_ID": "CLIENT",
        "COMPANY_ID": None,
        "HAS_PHONE": "N",
        "HAS_EMAIL": "Y" if party.get("email") else "N",
        "DATE_CREATE": CREATED,
        "DATE_MODIFY": CREATED,
        "ASSIGNED_BY_ID": "2",
        "CREATED_BY_ID": "1",
        "MODIFY_BY_ID": "1",
        "OPENED": "Y",
    }
    if party.get("email"):
        contact["EMAIL"] = [
            {"ID": str(cid * 10), "VALUE_TYPE": "WORK", "VALUE": party["email"], "TYPE_ID": "EMAIL"}
        ]
    return contact


def user(u: dict) -> dict:
    return {
        "ID": u["id"],
        "ACTIVE": True,
        "NAME": u["name"],
        "LAST_NAME": u["last_name"],
        "SECOND_NAME": "",
        "EMAIL": u["email"],
        "LAST_LOGIN": CREATED,
        "DATE_REGISTER": "2025-01-09T00:00:00+03:00",
        "TIME_ZONE": "Europe/Moscow",
        "IS_ONLINE": "N",
        "PERSONAL_GENDER": "",
        "PERSONAL_BIRTHDAY": "",
        "WORK_POSITION": "Администратор" if u["admin"] else "Менеджер по продажам",
        "UF_EMPLOYMENT_DATE": "",
        "UF_DEPARTMENT": [int(d) for d in u["departments"]],
        "USER_TYPE": "employee",
    }


def deal_row(row_id, deal_id, product: dict, quantity, sort: int) -> dict:
    """One crm.deal.productrows.get row for a catalog product (price includes VAT)."""
    price = Decimal(product["_price"])
    rate = product["_tax_rate"]
    exclusive = price if rate is None else (price * 100 / (100 + rate)).quantize(Decimal("0.01"))
    code, name = product["_measure"]
    return {
        "ID": str(row_id),
        "OWNER_ID": str(deal_id),
        "OWNER_TYPE": "D",
        "PRODUCT_ID": product["id"],
        "PRODUCT_NAME": product["name"],
        "ORIGINAL_PRODUCT_NAME": product["name"],
        "PRODUCT_DESCRIPTION": None,
        "PRICE": money(price),
        "PRICE_EXCLUSIVE": money(exclusive),
        "PRICE_NETTO": money(exclusive),
        "PRICE_BRUTTO": money(price),
        "PRICE_ACCOUNT": f"{price:.2f}",
        "QUANTITY": number(quantity),
        "DISCOUNT_TYPE_ID": 2,
        "DISCOUNT_RATE": 0,
        "DISCOUNT_SUM": 0,
        "TAX_RATE": rate,
        "TAX_INCLUDED": "Y",
        "CUSTOMIZED": "Y",
        "MEASURE_CODE": code,
        "MEASURE_NAME": name,
        "SORT": sort,
        "XML_ID": None,
        "TYPE": 7 if product["type"] == 7 else 1,
        "STORE_ID": 0,
    }
