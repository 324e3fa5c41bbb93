"""One-way push of the app's 1C catalog into the Bitrix24 product catalog, matched by article.

The article lives in the product property with code CML2_ARTICLE (what 1C's own exchange
creates). New articles are added, changed base prices updated, nothing is ever created twice:
products are looked up by article first, and a product added without its price (a failure in
between) is found by article next time and gets its price then.
"""

import logging
from decimal import Decimal

from django.utils import timezone

from b24app.models import Portal
from b24app.product_articles import NoArticleProperty, article_of, article_property, remember
from onec.models import Nomenclature, SyncStatus

from .notify import B24Session, acting_user
from .services import portal_lock

log = logging.getLogger("documents.backsync")

# Two commands per new product (add + price referencing it): references resolve only within
# one batch request, so 25 products fill a 50-command batch.
PRODUCTS_PER_BATCH = 25
CURRENCY = "RUB"


class CatalogPushError(Exception):
    pass


def push_catalog(portal: Portal, *, session: B24Session | None = None) -> dict:
    with portal_lock(portal.pk, "catalog"):
        status, _ = SyncStatus.objects.get_or_create(
            portal=portal, kind=SyncStatus.Kind.CATALOG_PUSH
        )
        status.last_started_at = timezone.now()
        status.save(update_fields=["last_started_at"])
        try:
            counts = _push(portal, session or B24Session(portal))
        except Exception as exc:
            status.last_error = str(getattr(exc, "message", "") or type(exc).__name__)[:500]
            status.last_error_at = timezone.now()
            status.save(update_fields=["last_error", "last_error_at"])
            raise
        status.counts = counts
        status.last_success_at = timezone.now()
        status.last_error = ""
        status.save(update_fields=["counts", "last_success_at", "last_error"])
        return counts


def _push(portal: Portal, session: B24Session) -> dict:
    user = acting_user(portal, None)
    if user is None:
        raise CatalogPushError("no admin with tokens")
    client = session.client(user)
    iblock_id, prop = _article_property(client)
    price_type = _base_price_type(client)
    by_article = _products_by_article(client, iblock_id, prop)
    prices = _prices(client, list(by_article.values()), price_type)
    items = [
        n
        for n in Nomenclature.objects.for_portal(portal).filter(deleted_in_1c=False)
        if n.article.strip()
    ]
    commands: dict = {}
    new_items: list[Nomenclature] = []
    counts = {"items": len(items), "created": 0, "prices_updated": 0, "unchanged": 0}
    for item in items:
        product_id = by_article.get(item.article.strip())
        if product_id is None:
            new_items.append(item)
            continue
        price = item.price
        current = prices.get(product_id)
        if price is None or (current and current[1] == price):
            counts["unchanged"] += 1
            continue
        if current:
            commands[f"upd{item.pk}"] = (
                "catalog.price.update",
                {"id": current[0], "fields": {"price": str(price)}},
            )
        else:
            commands[f"upd{item.pk}"] = (
                "catalog.price.add",
                {"fields": _price_fields(product_id, price_type, price)},
            )
        counts["prices_updated"] += 1
    if commands:
        _, errors = client.batch(commands)
        counts["prices_updated"] -= len(errors)
        counts["errors"] = counts.get("errors", 0) + len(errors)
    for start in range(0, len(new_items), PRODUCTS_PER_BATCH):
        chunk = new_items[start : start + PRODUCTS_PER_BATCH]
        batch = {}
        for item in chunk:
            batch[f"add{item.pk}"] = (
                "catalog.product.add",
                {
                    "fields": {
                        "iblockId": iblock_id,
                        "name": item.name[:255],
                        "active": "Y",
                        "vatIncluded": "Y",
                        "type": 7 if item.is_service else 1,
                        f"property{prop}": item.article.strip(),
                    }
                },
            )
            if item.price is not None:
                batch[f"price{item.pk}"] = (
                    "catalog.price.add",
                    {
                        "fields": _price_fields(
                            f"$result[add{item.pk}][element][id]", price_type, item.price
                        )
                    },
                )
        results, errors = client.batch(batch)
        counts["created"] += sum(1 for key in results if key.startswith("add"))
        if errors:
            counts["errors"] = counts.get("errors", 0) + len(errors)
            log.warning("catalog push portal=%s: %d commands failed", portal.pk, len(errors))
    counts["b24_requests"] = session.request_count
    return counts


def _price_fields(product_id, price_type: int, price: Decimal) -> dict:
    return {
        "productId": product_id,
        "catalogGroupId": price_type,
        "price": str(price),
        "currency": CURRENCY,
    }


def _article_property(client) -> tuple[int, int]:
    try:
        return article_property(client)
    except NoArticleProperty as exc:
        raise CatalogPushError(str(exc)) from exc


def _base_price_type(client) -> int:
    result = client.call("catalog.priceType.list", {"filter": {"base": "Y"}})
    rows = (result or {}).get("priceTypes") or []
    return int(rows[0]["id"]) if rows else 1


def _products_by_article(client, iblock_id: int, prop: int) -> dict[str, int]:
    rows = client.list_all(
        "catalog.product.list",
        {"filter": {"iblockId": iblock_id}, "select": ["id", "iblockId", f"property{prop}"]},
        limit=100000,
    )
    result: dict[str, int] = {}
    for row in rows:
        article = article_of(row, prop)
        if article:
            result.setdefault(article, int(row["id"]))
    remember(client.portal, {str(pid): article for article, pid in result.items()})
    return result


def _prices(client, product_ids: list[int], price_type: int) -> dict[int, tuple[int, Decimal]]:
    """{product id: (price row id, price)} of the base price type."""
    result: dict[int, tuple[int, Decimal]] = {}
    for start in range(0, len(product_ids), 500):
        rows = client.list_all(
            "catalog.price.list",
            {
                "filter": {
                    "@productId": product_ids[start : start + 500],
                    "catalogGroupId": price_type,
                },
                "select": ["id", "productId", "catalogGroupId", "price"],
            },
            limit=100000,
        )
        for row in rows:
            result[int(row["productId"])] = (int(row["id"]), Decimal(str(row["price"])))
    return result
