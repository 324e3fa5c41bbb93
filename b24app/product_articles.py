"""Articles of Bitrix24 catalog products, for matching deal rows to 1C nomenclature.

Bitrix24 keeps a product's article in the catalog property with code CML2_ARTICLE (the one
1C's own exchange creates); deal product rows don't carry it. The app keeps a product id →
article map per portal: filled in the background after install and by the catalog push, and
topped up when a deal shows a product the map hasn't seen (one `catalog.product.list` call).
"""

import logging

from django.core.cache import cache

from .client import B24Error
from .models import ProductArticle

log = logging.getLogger("b24app.product_articles")

ARTICLE_CODE = "CML2_ARTICLE"
PROPERTY_CACHE_SECONDS = 24 * 3600


class NoArticleProperty(Exception):
    pass


def article_property(client) -> tuple[int, int]:
    """(iblockId, property id) of CML2_ARTICLE in the portal's product catalog."""
    key = f"b24:article-property:{client.portal.pk}"
    found = cache.get(key)
    if found is None:
        result = client.call("catalog.productProperty.list", {"filter": {"code": ARTICLE_CODE}})
        rows = (result or {}).get("productProperties") or []
        if not rows:
            raise NoArticleProperty("the Bitrix24 catalog has no CML2_ARTICLE property")
        found = (int(rows[0]["iblockId"]), int(rows[0]["id"]))
        cache.set(key, found, PROPERTY_CACHE_SECONDS)
    return found


def article_of(row: dict, prop: int) -> str:
    value = row.get(f"property{prop}") or {}
    return str(value.get("value") if isinstance(value, dict) else value or "").strip()


def remember(portal, articles: dict[str, str]) -> None:
    """Store product id → article pairs: an upsert per batch, so a whole catalog read after
    install is a few statements rather than one per product."""
    ProductArticle.objects.bulk_create(
        [
            ProductArticle(portal=portal, product_id=product_id, article=article)
            for product_id, article in articles.items()
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["portal", "product_id"],
        update_fields=["article", "updated_at"],
    )


def read_all(client) -> int:
    """Every product of the catalog (background: after install, from the catalog push)."""
    iblock_id, prop = article_property(client)
    rows = client.list_all(
        "catalog.product.list",
        {"filter": {"iblockId": iblock_id}, "select": ["id", "iblockId", f"property{prop}"]},
        limit=100000,
    )
    remember(client.portal, {str(r["id"]): article_of(r, prop) for r in rows})
    return len(rows)


def fill_product_articles(client, context) -> None:
    """Give the deal's product rows their articles; asks Bitrix24 only about unseen products.

    A failure leaves the articles empty: the wizard then flags the rows as not matched to 1C,
    which is better than not opening the tab."""
    rows = [p for p in context.products if p.product_id and not p.article]
    if not rows:
        return
    portal = client.portal
    wanted = {p.product_id for p in rows}
    known = dict(
        ProductArticle.objects.for_portal(portal)
        .filter(product_id__in=wanted)
        .values_list("product_id", "article")
    )
    unseen = sorted(wanted - set(known))
    if unseen:
        try:
            iblock_id, prop = article_property(client)
            result = client.call(
                "catalog.product.list",
                {
                    "filter": {"iblockId": iblock_id, "@id": unseen},
                    "select": ["id", "iblockId", f"property{prop}"],
                },
            )
            found = {str(r["id"]): article_of(r, prop) for r in (result or {}).get("products", [])}
            remember(portal, {pid: article for pid, article in found.items() if article})
            known.update(found)
        except (B24Error, NoArticleProperty) as exc:
            log.warning("portal %s: product articles not read: %s", portal.member_id, exc)
    for row in rows:
        row.article = known.get(row.product_id, "")
