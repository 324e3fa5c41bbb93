"""The deal context as JSON in the draft, so later steps never ask Bitrix24 again."""

import json
from dataclasses import asdict
from decimal import Decimal

from b24app.deal_context import DealContext, Party, ProductRow


def _encode(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def context_to_json(context: DealContext) -> dict:
    return json.loads(json.dumps(asdict(context), default=_encode))


def context_from_json(data: dict | None) -> DealContext:
    data = dict(data or {})
    if not data.get("deal_id"):
        return DealContext(deal_id="", title="")
    data["opportunity"] = Decimal(data.get("opportunity") or "0")
    data["client"] = Party.from_dict(data["client"]) if data.get("client") else None
    data["my_company"] = Party.from_dict(data["my_company"]) if data.get("my_company") else None
    data["client_requisites"] = [Party.from_dict(p) for p in data.get("client_requisites") or []]
    data["products"] = [
        ProductRow(
            **{
                **row,
                "quantity": Decimal(row["quantity"]),
                "price": Decimal(row["price"]),
                "tax_rate": Decimal(row["tax_rate"]) if row.get("tax_rate") is not None else None,
            }
        )
        for row in data.get("products") or []
    ]
    return DealContext(**data)
