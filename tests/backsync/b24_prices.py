"""Bitrix24's `catalog.priceType.list` and `catalog.price.list|add|update` for the portal
sandbox, which does not serve them yet (see the back-sync report: they belong in
sandbox/bitrix24/methods_write.py). Registered only when missing, so the sandbox's own
implementation wins once it exists. Prices live in the catalog row's `_price`, which is what the
sandbox's deal rows already read."""

from sandbox.bitrix24.params import as_dict, as_list
from sandbox.bitrix24.rest import METHODS, Listed, RestError, method, not_found

BASE_PRICE_TYPE = 1


def _price_row(product: dict) -> dict:
    return {
        "id": product["id"],  # one base price per product: reuse the product id
        "productId": product["id"],
        "catalogGroupId": BASE_PRICE_TYPE,
        "price": float(product["_price"]),
        "currency": "RUB",
    }


def _price_types(call):
    rows = [{"id": BASE_PRICE_TYPE, "name": "BASE", "base": "Y", "sort": 100, "xmlId": "BASE"}]
    return Listed(rows, 1, wrap="priceTypes")


def _price_list(call):
    filter_ = as_dict(call.param("filter", {}))
    wanted = {int(x) for x in as_list(filter_.get("@productId"))} or None
    rows = [
        _price_row(p)
        for p in call.state.catalog.values()
        if p.get("_price") not in (None, "", "0") and (wanted is None or p["id"] in wanted)
    ]
    start = int(call.param("start", 0) or 0)
    page = rows[start : start + 50]
    return Listed(page, len(rows), start + 50 if start + 50 < len(rows) else None, "prices")


def _price_add(call):
    fields = call.fields()
    product = call.state.catalog.get(int(fields.get("productId") or 0))
    if product is None:
        raise RestError(200040300040, "Product is not exists")
    with call.state.lock:
        product["_price"] = str(fields.get("price"))
    return {"price": _price_row(product)}


def _price_update(call):
    product = call.state.catalog.get(int(call.param("id", 0) or 0))
    if product is None:
        raise not_found("Price is not exists")
    with call.state.lock:
        product["_price"] = str(call.fields().get("price"))
    return {"price": _price_row(product)}


def install() -> None:
    for name, handler in (
        ("catalog.priceType.list", _price_types),
        ("catalog.price.list", _price_list),
        ("catalog.price.add", _price_add),
        ("catalog.price.update", _price_update),
    ):
        if name.lower() not in METHODS:
            method(name)(handler)
