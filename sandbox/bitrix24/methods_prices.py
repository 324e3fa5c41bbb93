"""Catalog prices: `catalog.priceType.list` and `catalog.price.list|add|update`.

One base price type; a product's price lives in its catalog row's `_price`, which is what the
sandbox's deal rows already read."""

from sandbox.bitrix24.params import as_dict, as_list
from sandbox.bitrix24.rest import Listed, RestError, method, not_found, paginate

BASE_PRICE_TYPE = 1


def _price_row(product: dict) -> dict:
    return {
        "id": product["id"],  # one base price per product: reuse the product id
        "productId": product["id"],
        "catalogGroupId": BASE_PRICE_TYPE,
        "price": float(product["_price"]),
        "currency": "RUB",
    }


@method("catalog.priceType.list")
def _price_types(call):
    rows = [{"id": BASE_PRICE_TYPE, "name": "BASE", "base": "Y", "sort": 100, "xmlId": "BASE"}]
    return Listed(rows, 1, wrap="priceTypes")


@method("catalog.price.list")
def _price_list(call):
    filter_ = as_dict(call.param("filter", {}))
    wanted = {int(x) for x in as_list(filter_.get("@productId"))} or None
    rows = [
        _price_row(p)
        for p in call.state.catalog.values()
        if p.get("_price") not in (None, "", "0") and (wanted is None or p["id"] in wanted)
    ]
    return paginate(call, rows, wrap="prices")


@method("catalog.price.add")
def _price_add(call):
    fields = call.fields()
    product = call.state.catalog.get(int(fields.get("productId") or 0))
    if product is None:
        raise RestError(200040300040, "Product is not exists")
    with call.state.lock:
        product["_price"] = str(fields.get("price"))
    return {"price": _price_row(product)}


@method("catalog.price.update")
def _price_update(call):
    product = call.state.catalog.get(int(call.param("id", 0) or 0))
    if product is None:
        raise not_found("Price is not exists")
    with call.state.lock:
        product["_price"] = str(call.fields().get("price"))
    return {"price": _price_row(product)}
