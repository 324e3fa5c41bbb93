"""Read a deal's context in ONE Bitrix24 request and parse it into `DealContext`.

One `batch` with `$result[...]` references: later commands take ids from earlier answers, so the
tab opens after a single round trip (the portal allows 2 requests a second). The same batch asks
`user.current` and `user.admin`, which is what verifies the posted token and refreshes the
user's admin flag.
"""

from decimal import Decimal, InvalidOperation

from .deal_context import PRESET_KIND, BankDetails, ClientKind, DealContext, Party, ProductRow

REQUISITE_ENTITY = 8  # crm.address owner type "requisite"
LEGAL_ADDRESS, ACTUAL_ADDRESS = "6", "1"
COMPANY, CONTACT = 4, 3


class DealNotFound(LookupError):
    pass


def deal_context_commands(deal_id: str) -> dict:
    """The batch: `{key: (method, params)}`, in dependency order."""

    def rq_list(entity_type: int, entity_ref: str):
        return (
            "crm.requisite.list",
            {"filter": {"ENTITY_TYPE_ID": entity_type, "ENTITY_ID": entity_ref}},
        )

    def bank_list(requisite_ref: str):
        return ("crm.requisite.bankdetail.list", {"filter": {"ENTITY_ID": requisite_ref}})

    def addr_list(requisite_ref: str):
        return (
            "crm.address.list",
            {"filter": {"ENTITY_TYPE_ID": REQUISITE_ENTITY, "ENTITY_ID": requisite_ref}},
        )

    return {
        "deal": ("crm.deal.get", {"id": deal_id}),
        "rows": ("crm.deal.productrows.get", {"id": deal_id}),
        "link": ("crm.requisite.link.get", {"entityTypeId": 2, "entityId": deal_id}),
        "company": ("crm.company.get", {"id": "$result[deal][COMPANY_ID]"}),
        "contact": ("crm.contact.get", {"id": "$result[deal][CONTACT_ID]"}),
        "company_rq": rq_list(COMPANY, "$result[deal][COMPANY_ID]"),
        "contact_rq": rq_list(CONTACT, "$result[deal][CONTACT_ID]"),
        "client_bank": bank_list("$result[link][REQUISITE_ID]"),
        "client_addr": addr_list("$result[link][REQUISITE_ID]"),
        # When the deal has no requisite link, the client's first requisite is the default.
        "company_rq0_bank": bank_list("$result[company_rq][0][ID]"),
        "company_rq0_addr": addr_list("$result[company_rq][0][ID]"),
        "contact_rq0_bank": bank_list("$result[contact_rq][0][ID]"),
        "contact_rq0_addr": addr_list("$result[contact_rq][0][ID]"),
        "my_rq": ("crm.requisite.get", {"id": "$result[link][MC_REQUISITE_ID]"}),
        "my_bank": ("crm.requisite.bankdetail.get", {"id": "$result[link][MC_BANK_DETAIL_ID]"}),
        "my_addr": addr_list("$result[link][MC_REQUISITE_ID]"),
        "user": ("user.current", {}),
        "admin": ("user.admin", {}),
    }


def parse_deal_context(deal_id: str, results: dict, errors: dict) -> DealContext:
    deal = results.get("deal")
    if not isinstance(deal, dict) or not deal:
        raise DealNotFound(deal_id)
    company_id = _id(deal.get("COMPANY_ID"))
    contact_id = _id(deal.get("CONTACT_ID"))
    link = results.get("link") if isinstance(results.get("link"), dict) else {}

    # Requisites are only trusted when they belong to this deal's client: a `$result[...]`
    # reference to a failed command resolves to nothing, and a filter on nothing can match all.
    if company_id:
        requisites = _owned(results.get("company_rq"), COMPANY, company_id)
        prefix = "company_rq0"
    else:
        requisites = _owned(results.get("contact_rq"), CONTACT, contact_id)
        prefix = "contact_rq0"
    banks = _rows(results.get("client_bank")) + _rows(results.get(f"{prefix}_bank"))
    addresses = _rows(results.get("client_addr")) + _rows(results.get(f"{prefix}_addr"))
    parties = [
        _party(rq, _bank_for(rq, banks, link.get("BANK_DETAIL_ID")), _address_for(rq, addresses))
        for rq in requisites
    ]
    linked_id = _id(link.get("REQUISITE_ID"))
    client = next((p for p in parties if p.requisite_id == linked_id), None) or (
        parties[0] if parties else None
    )

    my_company = None
    my_rq = results.get("my_rq")
    if (
        isinstance(my_rq, dict)
        and my_rq
        and _id(my_rq.get("ID")) == _id(link.get("MC_REQUISITE_ID"))
    ):
        my_bank = results.get("my_bank") if isinstance(results.get("my_bank"), dict) else None
        my_company = _party(
            my_rq,
            _bank_for(my_rq, [my_bank] if my_bank else [], link.get("MC_BANK_DETAIL_ID")),
            _address_for(my_rq, _rows(results.get("my_addr"))),
        )

    user = results.get("user") if isinstance(results.get("user"), dict) else {}
    return DealContext(
        deal_id=str(deal.get("ID") or deal_id),
        title=str(deal.get("TITLE") or ""),
        stage_id=str(deal.get("STAGE_ID") or ""),
        category_id=str(deal.get("CATEGORY_ID") or ""),
        currency=str(deal.get("CURRENCY_ID") or "RUB"),
        opportunity=_decimal(deal.get("OPPORTUNITY")),
        assigned_by_id=str(deal.get("ASSIGNED_BY_ID") or ""),
        company_id=company_id,
        contact_id=contact_id,
        client_name=_client_name(results, company_id, client),
        client=client,
        client_requisites=parties,
        my_company=my_company,
        products=[_product(row) for row in _rows(results.get("rows"))],
        current_user_id=str(user.get("ID") or ""),
        current_user_name=person_name(user),
        current_user_email=str(user.get("EMAIL") or ""),
        current_user_departments=[str(d) for d in (user.get("UF_DEPARTMENT") or [])],
    )


def person_name(data: dict) -> str:
    parts = [data.get("NAME"), data.get("SECOND_NAME"), data.get("LAST_NAME")]
    return " ".join(str(p) for p in parts if p).strip()


def _client_name(results: dict, company_id: str, client: Party | None) -> str:
    company = results.get("company")
    if company_id and isinstance(company, dict) and company.get("TITLE"):
        return str(company["TITLE"])
    contact = results.get("contact")
    if not company_id and isinstance(contact, dict):
        name = " ".join(
            str(contact.get(k)) for k in ("LAST_NAME", "NAME", "SECOND_NAME") if contact.get(k)
        )
        if name:
            return name
    return client.display_name if client else ""


def _party(rq: dict, bank: BankDetails | None, address: str) -> Party:
    preset = str(rq.get("PRESET_ID") or "")
    kind = PRESET_KIND.get(preset, ClientKind.COMPANY)
    person = " ".join(
        str(rq.get(k)) for k in ("RQ_LAST_NAME", "RQ_FIRST_NAME", "RQ_SECOND_NAME") if rq.get(k)
    )
    full = rq.get("RQ_COMPANY_FULL_NAME") or (
        person if kind is ClientKind.PERSON else rq.get("RQ_NAME")
    )
    return Party(
        kind=kind,
        requisite_id=_id(rq.get("ID")),
        entity_type_id=int(_id(rq.get("ENTITY_TYPE_ID")) or COMPANY),
        entity_id=_id(rq.get("ENTITY_ID")),
        preset_id=preset,
        short_name=str(rq.get("RQ_COMPANY_NAME") or rq.get("NAME") or person or ""),
        full_name=str(full or ""),
        inn=str(rq.get("RQ_INN") or "").strip(),
        kpp=str(rq.get("RQ_KPP") or "").strip(),
        ogrn=str(rq.get("RQ_OGRNIP") or rq.get("RQ_OGRN") or "").strip()
        if kind is ClientKind.SOLE_TRADER
        else str(rq.get("RQ_OGRN") or "").strip(),
        director=str(rq.get("RQ_DIRECTOR") or ""),
        director_title=str(rq.get("RQ_CEO_WORK_POS") or ""),
        legal_address=address,
        email=str(rq.get("RQ_EMAIL") or ""),
        phone=str(rq.get("RQ_PHONE") or ""),
        bank=bank,
    )


def _bank_for(rq: dict, banks: list, preferred_id) -> BankDetails | None:
    own = [b for b in banks if isinstance(b, dict) and _id(b.get("ENTITY_ID")) == _id(rq.get("ID"))]
    if not own:
        return None
    chosen = next((b for b in own if _id(b.get("ID")) == _id(preferred_id)), own[0])
    return BankDetails(
        id=_id(chosen.get("ID")),
        bank_name=str(chosen.get("RQ_BANK_NAME") or chosen.get("NAME") or ""),
        bik=str(chosen.get("RQ_BIK") or "").strip(),
        account=str(chosen.get("RQ_ACC_NUM") or "").strip(),
        corr_account=str(chosen.get("RQ_COR_ACC_NUM") or "").strip(),
    )


def _address_for(rq: dict, addresses: list) -> str:
    own = [
        a
        for a in addresses
        if isinstance(a, dict)
        and _id(a.get("ENTITY_ID")) == _id(rq.get("ID"))
        and str(a.get("ENTITY_TYPE_ID") or REQUISITE_ENTITY) == str(REQUISITE_ENTITY)
    ]
    for wanted in (LEGAL_ADDRESS, ACTUAL_ADDRESS, None):
        for a in own:
            if wanted is None or str(a.get("TYPE_ID")) == wanted:
                return format_address(a)
    return ""


def format_address(a: dict) -> str:
    parts = [
        a.get("POSTAL_CODE"),
        a.get("PROVINCE") if a.get("PROVINCE") != a.get("CITY") else None,
        a.get("CITY"),
        a.get("ADDRESS_1"),
        a.get("ADDRESS_2"),
    ]
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip())


def _product(row: dict) -> ProductRow:
    rate = row.get("TAX_RATE")
    return ProductRow(
        id=_id(row.get("ID")),
        product_id=_id(row.get("PRODUCT_ID")),
        name=str(row.get("PRODUCT_NAME") or row.get("ORIGINAL_PRODUCT_NAME") or ""),
        article=str(row.get("ARTICLE") or row.get("PRODUCT_ARTICLE") or row.get("XML_ID") or ""),
        quantity=_decimal(row.get("QUANTITY")),
        price=_decimal(row.get("PRICE")),
        tax_rate=None if rate in (None, "", False) else _decimal(rate),
        tax_included=str(row.get("TAX_INCLUDED") or "Y").upper() == "Y",
        measure_name=str(row.get("MEASURE_NAME") or ""),
    )


def _owned(rows, entity_type: int, entity_id: str) -> list[dict]:
    if not entity_id:
        return []
    return [
        r
        for r in _rows(rows)
        if isinstance(r, dict)
        and _id(r.get("ENTITY_ID")) == entity_id
        and _id(r.get("ENTITY_TYPE_ID")) in ("", str(entity_type))
    ]


def _rows(value) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values()) if all(k.isdigit() for k in value) else []
    return []


def _id(value) -> str:
    text = str(value or "").strip()
    return "" if text in ("0", "None") else text


def _decimal(value) -> Decimal:
    try:
        # Through str: floats from JSON (899.1) must not become 899.1000000000000227…
        return Decimal(str(value)) if value not in (None, "") else Decimal("0")
    except (InvalidOperation, ValueError):
        return Decimal("0")
