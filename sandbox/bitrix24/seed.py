"""Fill a PortalState from sandbox/demo_data.py, shaped like the reference REST answers.

Where the article lives: a Bitrix24 catalog product has no built-in article field; the CRM
catalog keeps it in a product property, the one 1C's exchange creates with code `CML2_ARTICLE`
(«Артикул»). So `catalog.product.list` shows it as `property<ID>: {"value", "valueId"}`
(exactly the shape of `property258` in catalog.product.list.json), its ID is found with
`catalog.productProperty.list` (filter code=CML2_ARTICLE), and deal rows
(`crm.deal.productrows.get`) carry only PRODUCT_ID/PRODUCT_NAME, as on a real portal. The app
must join rows to products to learn the article.
"""

from decimal import Decimal

from sandbox import demo_data
from sandbox.bitrix24.shapes import (
    CREATED,
    PRESET_NAMES,
    bank_detail,
    company,
    contact,
    deal_row,
    requisite,
    split_address,
    user,
)

CATALOG_IBLOCK_ID = 14
ARTICLE_PROPERTY_ID = 106
ARTICLE_PROPERTY_CODE = "CML2_ARTICLE"
# catalog.vat ids; the rate is what the deal row shows as TAX_RATE.
VAT_BY_1C = {"НДС22": (4, 22), "НДС10": (3, 10), "НДС0": (2, 0), "БезНДС": (1, None)}
MEASURES = {"шт": (796, "шт"), "усл": (999, "усл"), "ч": (356, "ч")}

PRESETS = {
    i: {"ID": i, "NAME": name, "COUNTRY_ID": "1", "ENTITY_TYPE_ID": "8"}
    for i, name in PRESET_NAMES.items()
}
KIND_PRESET = {"company": "1", "ip": "2", "person": "3"}

STAGES = {
    "0": [
        ("NEW", "Новая", "P"),
        ("PREPARATION", "Подготовка документов", "P"),
        ("PREPAYMENT_INVOICE", "Счёт на предоплату", "P"),
        ("EXECUTING", "В работе", "P"),
        ("FINAL_INVOICE", "Финальный счёт", "P"),
        ("WON", "Сделка успешна", "S"),
        ("LOSE", "Сделка провалена", "F"),
    ],
    "1": [
        ("C1:NEW", "Заявка", "P"),
        ("C1:PREPARATION", "Счёт выставлен", "P"),
        ("C1:WON", "Оплачено", "S"),
        ("C1:LOSE", "Отказ", "F"),
    ],
}
CATEGORIES = {"0": "Общая", "1": "Оптовые продажи"}


def seed(state) -> None:
    state.requisite_presets.update(PRESETS)
    for d in demo_data.DEPARTMENTS:
        head = {"1": "1", "2": "2", "3": "3"}.get(d["id"], "")
        state.departments[d["id"]] = {
            "ID": d["id"],
            "NAME": d["name"],
            "SORT": 500,
            "PARENT": d["parent"] or None,
            "UF_HEAD": head,
        }
    for u in demo_data.USERS:
        state.users[u["id"]] = user(u)
        if u["admin"]:
            state.admins.add(u["id"])

    def add_party(rid, entity_type_id, entity_id, party, preset_id):
        state.requisites[str(rid)] = requisite(rid, entity_type_id, entity_id, party, preset_id)
        bank_id = None
        if party.get("bank"):
            bank_id = str(rid + 100)
            state.bank_details[bank_id] = bank_detail(bank_id, rid, party["bank"])
        if party.get("address"):
            state.addresses.append(
                {
                    "TYPE_ID": "6",  # legal address (crm.enum.addresstype)
                    "ENTITY_TYPE_ID": "8",
                    "ENTITY_ID": str(rid),
                    **split_address(party["address"]),
                    "PROVINCE": None,
                    "COUNTRY": "Россия",
                    "COUNTRY_CODE": None,
                    "LOC_ADDR_ID": str(rid + 400),
                    "ANCHOR_TYPE_ID": str(entity_type_id),
                    "ANCHOR_ID": str(entity_id),
                }
            )
        return str(rid), bank_id

    my = {}
    for n, le in enumerate(demo_data.LEGAL_ENTITIES, start=1):
        state.companies[str(n)] = company(n, le["short_name"], my=True)
        preset = "2" if len(le["inn"]) == 12 else "1"
        my[le["key"]] = add_party(n, 4, n, le, preset)

    clients = {}
    contact_id = 1
    for n, client in enumerate([*demo_data.CLIENTS, demo_data.BROKEN_CLIENT], start=10):
        preset = KIND_PRESET[client["kind"]]
        if client["kind"] == "person":
            state.contacts[str(contact_id)] = contact(contact_id, client)
            req = add_party(n, 3, contact_id, client, preset)
            clients[client["key"]] = ("3", str(contact_id), *req)
            contact_id += 1
        else:
            state.companies[str(n)] = company(n, client["title"], my=False, email=client["email"])
            req = add_party(n, 4, n, client, preset)
            clients[client["key"]] = ("4", str(n), *req)

    for cat_id, name in CATEGORIES.items():
        sort_order = 100 * (1 + int(cat_id))
        state.deal_categories[cat_id] = {"ID": cat_id, "NAME": name, "SORT": sort_order}
        entity = "DEAL_STAGE" if cat_id == "0" else f"DEAL_STAGE_{cat_id}"
        for sort, (status_id, title, semantics) in enumerate(STAGES[cat_id], start=1):
            state.statuses.append(
                {
                    "ID": str(len(state.statuses) + 1),
                    "ENTITY_ID": entity,
                    "STATUS_ID": status_id,
                    "NAME": title,
                    "NAME_INIT": title,
                    "SORT": str(sort * 10),
                    "SYSTEM": "Y" if semantics != "P" or sort == 1 else "N",
                    "CATEGORY_ID": cat_id,
                    "COLOR": {"S": "#7BD500", "F": "#FF5752"}.get(semantics, "#39A8EF"),
                    "SEMANTICS": {"S": "S", "F": "F"}.get(semantics),
                    "EXTRA": {
                        "SEMANTICS": {"S": "success", "F": "failure"}.get(semantics, "process"),
                        "COLOR": {"S": "#7BD500", "F": "#FF5752"}.get(semantics, "#39A8EF"),
                    },
                }
            )

    by_article = {}
    for n, p in enumerate([*demo_data.PRODUCTS, demo_data.UNMATCHED_PRODUCT], start=1):
        vat_id, rate = VAT_BY_1C.get(p.get("vat", "НДС22"))
        measure_code, measure_name = MEASURES.get(p.get("unit", "шт"), (796, "шт"))
        state.catalog[n] = {
            "id": n,
            "iblockId": CATALOG_IBLOCK_ID,
            "iblockSectionId": None,
            "name": p["name"],
            "active": "Y",
            "available": "Y",
            "code": p["article"].lower(),
            "xmlId": str(n),
            "type": 7 if p.get("service") else 1,  # 7 = service in catalog.product types
            "measure": measure_code,
            "vatId": vat_id,
            "vatIncluded": "Y",
            "purchasingPrice": None,
            "purchasingCurrency": None,
            "dateCreate": CREATED,
            "timestampX": CREATED,
            "createdBy": 1,
            "modifiedBy": 1,
            "sort": 100,
            f"property{ARTICLE_PROPERTY_ID}": {"value": p["article"], "valueId": str(9000 + n)},
            # Sandbox-only helpers (not sent): the price, tax and unit for deal rows.
            "_price": p["price"],
            "_tax_rate": rate,
            "_measure": (measure_code, measure_name),
        }
        by_article[p["article"]] = n

    row_id = 1
    for d in demo_data.DEALS:
        entity_type, entity_id, req_id, bank_id = clients[d["client"]]
        mc_req, mc_bank = my[d["my_company"]]
        category = "1" if d["id"] == "5" else "0"
        rows = []
        total = Decimal("0")
        for sort, (article, qty) in enumerate(d["rows"], start=1):
            product = state.catalog[by_article[article]]
            rows.append(deal_row(row_id, d["id"], product, qty, sort * 10))
            total += Decimal(product["_price"]) * Decimal(qty)
            row_id += 1
        state.product_rows[d["id"]] = rows
        state.deals[d["id"]] = {
            "ID": d["id"],
            "TITLE": d["title"],
            "TYPE_ID": "SALE",
            "STAGE_ID": "C1:NEW" if category == "1" else "NEW",
            "PROBABILITY": None,
            "CURRENCY_ID": "RUB",
            "OPPORTUNITY": f"{total:.2f}",
            "IS_MANUAL_OPPORTUNITY": "N",
            "TAX_VALUE": "0.00",
            "LEAD_ID": None,
            "COMPANY_ID": entity_id if entity_type == "4" else "0",
            "CONTACT_ID": entity_id if entity_type == "3" else None,
            "QUOTE_ID": None,
            "BEGINDATE": "2026-02-02T03:00:00+03:00",
            "CLOSEDATE": "2026-03-02T03:00:00+03:00",
            "ASSIGNED_BY_ID": d["assigned"],
            "CREATED_BY_ID": d["assigned"],
            "MODIFY_BY_ID": d["assigned"],
            "DATE_CREATE": CREATED,
            "DATE_MODIFY": CREATED,
            "OPENED": "Y",
            "CLOSED": "N",
            "COMMENTS": "",
            "ADDITIONAL_INFO": None,
            "LOCATION_ID": None,
            "CATEGORY_ID": category,
            "STAGE_SEMANTIC_ID": "P",
            "IS_NEW": "Y",
            "IS_RECURRING": "N",
            "IS_RETURN_CUSTOMER": "N",
            "IS_REPEATED_APPROACH": "N",
            "SOURCE_ID": "CALL",
            "SOURCE_DESCRIPTION": None,
            "ORIGINATOR_ID": None,
            "ORIGIN_ID": None,
            "MOVED_BY_ID": d["assigned"],
            "MOVED_TIME": CREATED,
            "LAST_ACTIVITY_TIME": CREATED,
            "LAST_ACTIVITY_BY": d["assigned"],
        }
        state.requisite_links[("2", d["id"])] = {
            "ENTITY_TYPE_ID": 2,
            "ENTITY_ID": int(d["id"]),
            "REQUISITE_ID": req_id,
            "BANK_DETAIL_ID": bank_id or "0",
            "MC_REQUISITE_ID": mc_req,
            "MC_BANK_DETAIL_ID": mc_bank or "0",
        }
