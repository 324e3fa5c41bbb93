"""Posting the wizard's steps as the browser would (shared by the wizard's view tests)."""

from datetime import timedelta

from django.utils import timezone


def client_post(world, deal_party, **overrides):
    data = {
        "requisite_id": deal_party.requisite_id,
        "inn": deal_party.inn,
        "region": str(world.regions["msk"].pk),
        "legal_entity": str(world.entities["romashka"].pk),
    }
    return {**data, **overrides}


def terms_post(**overrides):
    today = timezone.localdate()
    data = {
        "contract_date": today.isoformat(),
        "invoice_date": today.isoformat(),
        "due_date": (today + timedelta(days=5)).isoformat(),
        "payment_scheme": "100",
    }
    return {**data, **overrides}


def goods_post(draft, action="next", **values):
    from wizard.state import WizardState

    rows = WizardState(draft).stored_rows()
    data = {"row-count": str(len(rows)), "action": action}
    for i, row in enumerate(rows):
        data[f"row-{i}-quantity"] = values.get(f"q{i}", row["quantity"])
        data[f"row-{i}-price"] = values.get(f"p{i}", row["price"])
    return data


def walk_to(tab, world, step):
    """Post the steps before `step` with valid values."""
    from wizard.state import STEPS

    context = tab.draft.data["context"]
    from b24app.deal_context import Party

    party = Party.from_dict(context["client"])
    posts = {
        "client": lambda: client_post(world, party),
        "contract": lambda: {"choice": f"t:{world.template.pk}"},
        "terms": terms_post,
        "goods": lambda: goods_post(refresh(tab.draft)),
    }
    for name in STEPS[: STEPS.index(step)]:
        response = tab.call("post", name, posts[name]())
        assert response.status_code == 200, response.content.decode()[:2000]
        assert refresh(tab.draft).step != name, response.content.decode()[:3000]


def refresh(draft):
    draft.refresh_from_db()
    return draft
