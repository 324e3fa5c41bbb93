"""The goods step's post: quantities and prices of the rows, adding and removing items.

Rows are identified by their position in the stored draft, never by ids from the browser; an
added item is looked up among the goods this template allows on this portal only.
"""

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import selectors
from .forms import RowForm
from .state import WizardState


class GoodsPostError(Exception):
    """A post no honest form produces (stale row count, foreign item): refused with 400."""


@dataclass
class GoodsOutcome:
    rows: list[dict]
    advance: bool = False
    errors: dict = field(default_factory=dict)  # row index -> {field: message}; "all" -> [..]
    posted: dict = field(default_factory=dict)  # row index -> {field: raw value}


def _row_count(post) -> int:
    try:
        return int(post.get("row-count", ""))
    except ValueError:
        raise GoodsPostError("bad row count") from None


def _item_to_add(state: WizardState, ref: str):
    try:
        ref_key = uuid.UUID(ref)
    except ValueError:
        raise GoodsPostError("bad item ref") from None
    item = selectors.allowed_goods(state.portal, state.template).filter(ref_key=ref_key).first()
    if item is None:
        raise GoodsPostError("item not offered")
    return item


def goods_post(state: WizardState, post) -> GoodsOutcome:
    stored = state.stored_rows()
    if _row_count(post) != len(stored):
        raise GoodsPostError("the form is stale")
    action = post.get("action", "next")
    outcome = GoodsOutcome(rows=[], advance=action == "next")
    for i, row in enumerate(stored):
        raw = {
            "quantity": post.get(f"row-{i}-quantity", ""),
            "price": post.get(f"row-{i}-price", ""),
        }
        outcome.posted[i] = raw
        form = RowForm(raw)
        if not form.is_valid():
            outcome.errors[i] = {name: errs[0] for name, errs in form.errors.items()}
            continue
        new = {**row, "quantity": str(form.cleaned_data["quantity"].normalize())}
        price = form.cleaned_data.get("price")
        if state.price_editable and price is not None:
            new["price"] = f"{price:.2f}"
        outcome.rows.append(new)

    if action.startswith("add:"):
        item = _item_to_add(state, action[4:])
        outcome.rows.append(
            {
                "ref": str(item.ref_key),
                "article": item.article,
                "name": item.name,
                "quantity": "1",
                "price": str(item.price if item.price is not None else "0"),
                "b24_row_id": "",
            }
        )
    elif action.startswith("remove:"):
        try:
            index = int(action[7:])
        except ValueError:
            raise GoodsPostError("bad row index") from None
        if not 0 <= index < len(stored):
            raise GoodsPostError("bad row index")
        if index not in outcome.errors:
            outcome.rows.pop(sum(1 for j in range(index) if j not in outcome.errors))
        outcome.errors.pop(index, None)
    elif action not in ("next", "recalc"):
        raise GoodsPostError("unknown action")

    if outcome.errors:
        return outcome
    if outcome.advance:
        rows = state.resolve_rows(outcome.rows)
        if not rows:
            outcome.errors["all"] = [_("Добавьте хотя бы один товар из каталога 1С")]
        elif any(r.problem for r in rows):
            outcome.errors["all"] = [_("Исправьте строки, отмеченные красным")]
    return outcome
