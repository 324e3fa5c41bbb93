"""Legacy crm.* reads and the few writes the app makes (UPPER_CASE keys, string values)."""

from sandbox.bitrix24.params import as_list
from sandbox.bitrix24.rest import Listed, RestError, list_rows, method, not_found
from sandbox.bitrix24.state import now_iso


def _id(call, name="id") -> str:
    value = call.param(name)
    if value in (None, "") or not str(value).lstrip("-").isdigit() or int(value) <= 0:
        raise RestError("", "ID is not defined or invalid.")
    return str(int(value))


def _get(table: dict, key: str, description="Not found"):
    row = table.get(key)
    if row is None:
        raise not_found(description)
    return dict(row)


@method("crm.deal.get")
def deal_get(call):
    return _get(call.state.deals, _id(call))


@method("crm.deal.list")
def deal_list(call):
    return list_rows(call, call.state.deals.values())


def _stage_ids(state, category_id: str) -> set[str]:
    entity = "DEAL_STAGE" if category_id == "0" else f"DEAL_STAGE_{category_id}"
    return {s["STATUS_ID"] for s in state.statuses if s["ENTITY_ID"] == entity}


@method("crm.deal.update")
def deal_update(call):
    deal_id = _id(call)
    fields = call.fields()
    if not isinstance(call.param("fields"), dict | str):
        raise RestError("", "Parameter 'fields' must be array.")
    with call.state.lock:
        deal = call.state.deals.get(deal_id)
        if deal is None:
            raise not_found()
        stage = fields.get("STAGE_ID")
        if stage is not None:
            if stage not in _stage_ids(call.state, deal["CATEGORY_ID"]):
                raise RestError("", f"Stage '{stage}' is not found in the deal's pipeline.")
            semantics = next(
                (s["SEMANTICS"] for s in call.state.statuses if s["STATUS_ID"] == stage), None
            )
            deal["STAGE_SEMANTIC_ID"] = semantics or "P"
            deal["CLOSED"] = "Y" if semantics in ("S", "F") else "N"
            deal["MOVED_BY_ID"] = call.user_id
            deal["MOVED_TIME"] = now_iso()
        read_only = {"ID", "DATE_CREATE", "CREATED_BY_ID", "CATEGORY_ID"}
        for key, value in fields.items():
            if key.upper() not in read_only:
                deal[key.upper()] = value if isinstance(value, list | dict) else str(value)
        deal["DATE_MODIFY"] = now_iso()
        deal["MODIFY_BY_ID"] = call.user_id
    return True


@method("crm.deal.productrows.get")
def deal_productrows_get(call):
    try:
        deal_id = _id(call)
    except RestError:
        raise RestError("", "The parameter id is invalid or not defined.") from None
    if deal_id not in call.state.deals:
        raise not_found()
    return [dict(r) for r in call.state.product_rows.get(deal_id, [])]


@method("crm.deal.contact.items.get")
def deal_contact_items_get(call):
    deal = _get(call.state.deals, _id(call), "Not found.")
    contact = deal.get("CONTACT_ID")
    if not contact:
        return []
    return [{"CONTACT_ID": int(contact), "SORT": 10, "ROLE_ID": 0, "IS_PRIMARY": "Y"}]


@method("crm.company.get")
def company_get(call):
    return _get(call.state.companies, _id(call))


@method("crm.company.list")
def company_list(call):
    return list_rows(call, call.state.companies.values())


@method("crm.contact.get")
def contact_get(call):
    return _get(call.state.contacts, _id(call))


@method("crm.contact.list")
def contact_list(call):
    return list_rows(call, call.state.contacts.values())


@method("crm.requisite.link.get")
def requisite_link_get(call):
    entity_type = str(call.param("entityTypeId", "") or "")
    entity_id = str(call.param("entityId", "") or "")
    if not entity_type.isdigit() or not entity_id.isdigit():
        raise RestError("", "The parameter entityTypeId or entityId is invalid or not defined.")
    link = call.state.requisite_links.get((entity_type, entity_id))
    if link is None:
        raise not_found()
    return dict(link)


@method("crm.requisite.link.list")
def requisite_link_list(call):
    rows = [{k: str(v) for k, v in link.items()} for link in call.state.requisite_links.values()]
    return list_rows(call, rows, default_order=("ENTITY_ID", "ASC"))


@method("crm.requisite.list")
def requisite_list(call):
    return list_rows(call, call.state.requisites.values())


@method("crm.requisite.get")
def requisite_get(call):
    rid = _id(call)
    return _get(call.state.requisites, rid, f"The Requisite with ID '{rid}' is not found")


@method("crm.requisite.update")
def requisite_update(call):
    rid = _id(call)
    fields = call.fields()
    with call.state.lock:
        requisite = call.state.requisites.get(rid)
        if requisite is None:
            raise not_found(f"The Requisite with ID '{rid}' is not found")
        for key, value in fields.items():
            if key.upper() not in {"ID", "ENTITY_TYPE_ID", "ENTITY_ID", "DATE_CREATE"}:
                requisite[key.upper()] = None if value is None else str(value)
        requisite["DATE_MODIFY"] = now_iso()
        requisite["MODIFY_BY_ID"] = call.user_id
    return True


@method("crm.requisite.bankdetail.list")
def bankdetail_list(call):
    return list_rows(call, call.state.bank_details.values())


@method("crm.requisite.bankdetail.get")
def bankdetail_get(call):
    bid = _id(call)
    return _get(
        call.state.bank_details, bid, f"The RequisiteBankDetail with ID '{bid}' is not found"
    )


@method("crm.address.list")
def address_list(call):
    return list_rows(call, call.state.addresses, default_order=("TYPE_ID", "ASC"))


@method("crm.enum.addresstype")
def enum_addresstype(call):
    names = [(11, "Адрес доставки"), (1, "Фактический адрес"), (6, "Юридический адрес")]
    names += [(4, "Адрес регистрации"), (8, "Адрес для корреспонденции")]
    names += [(9, "Адрес бенефициара")]
    return [{"ID": i, "NAME": n, "SYMBOL_CODE": None, "SYMBOL_CODE_SHORT": None} for i, n in names]


@method("crm.status.list")
def status_list(call):
    return list_rows(call, call.state.statuses, default_order=("SORT", "ASC"))


@method("crm.dealcategory.list")
def dealcategory_list(call):
    # The default pipeline (0) is not listed by crm.dealcategory.list, only extra ones.
    rows = [c for c in call.state.deal_categories.values() if c["ID"] != "0"]
    return list_rows(call, rows)


@method("crm.dealcategory.stage.list")
def dealcategory_stage_list(call):
    category = str(call.param("id", "0") or "0")
    if category not in call.state.deal_categories:
        raise not_found("Deal category is not found.")
    entity = "DEAL_STAGE" if category == "0" else f"DEAL_STAGE_{category}"
    return [
        {"NAME": s["NAME"], "SORT": s["SORT"], "STATUS_ID": s["STATUS_ID"]}
        for s in call.state.statuses
        if s["ENTITY_ID"] == entity
    ]


@method("crm.category.list")
def category_list(call):
    if str(call.param("entityTypeId", "")) != "2":
        raise RestError("NOT_FOUND", "Smart process not found")
    rows = [
        {
            "id": int(c["ID"]),
            "name": c["NAME"],
            "sort": c["SORT"],
            "entityTypeId": 2,
            "isDefault": "Y" if c["ID"] == "0" else "N",
        }
        for c in call.state.deal_categories.values()
    ]
    return Listed(rows, len(rows), wrap="categories")


@method("crm.deal.productrows.set")
def deal_productrows_set(call):
    deal_id = _id(call)
    if deal_id not in call.state.deals:
        raise not_found()
    rows = []
    for n, raw in enumerate(as_list(call.param("rows")), start=1):
        row = {k.upper(): v for k, v in dict(raw).items()}
        product = call.state.catalog.get(int(row.get("PRODUCT_ID") or 0))
        rows.append(
            {
                "ID": str(call.state.next_id()),
                "OWNER_ID": deal_id,
                "OWNER_TYPE": "D",
                "PRODUCT_ID": int(row.get("PRODUCT_ID") or 0),
                "PRODUCT_NAME": row.get("PRODUCT_NAME") or (product or {}).get("name", ""),
                "PRICE": float(row.get("PRICE") or 0),
                "QUANTITY": float(row.get("QUANTITY") or 1),
                "TAX_RATE": row.get("TAX_RATE"),
                "TAX_INCLUDED": row.get("TAX_INCLUDED", "Y"),
                "MEASURE_NAME": row.get("MEASURE_NAME", "шт"),
                "SORT": n * 10,
            }
        )
    call.state.product_rows[deal_id] = rows
    return True
