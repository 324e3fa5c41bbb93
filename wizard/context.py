"""What the wizard template needs: `wizard_context(request, draft)` (the lead's deal tab view
calls it to include the wizard) and the unbound forms of a step."""

from django.urls import reverse
from django.utils.translation import gettext as _

from onec.selectors import search_nomenclature

from . import selectors
from .forms import ClientForm, ContractForm, OutputsForm, TermsForm
from .state import STEPS, WizardState, step_titles

SEARCH_LIMIT = 20


def step_form(state: WizardState, step: str):
    """The unbound form of `step` (the goods step has none): only the shown step's form is
    built, since each one resolves its own choices from the database."""
    if step == "client":
        return ClientForm(
            state,
            initial={
                "requisite_id": state.base_party.requisite_id if state.base_party else "",
                "inn": state.entered_inn,
                "region": state.region.pk
                if state.region
                else state.section("client").get("region_id"),
                "legal_entity": state.legal_entity.pk if state.legal_entity else None,
            },
        )
    if step == "contract":
        return ContractForm(state, initial={"choice": state.choice})
    if step == "terms":
        return TermsForm(
            state,
            initial={
                k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in state.terms.items()
            },
        )
    if step == "review":
        return OutputsForm(initial=state.outputs)
    return None


def _goods_rows(state: WizardState, errors: dict, posted: dict) -> list[dict]:
    rows = []
    for i, row in enumerate(state.rows):
        raw = posted.get(i, {})
        rows.append(
            {
                "index": i,
                "row": row,
                "quantity": raw.get("quantity", row.quantity.normalize()),
                "price": raw.get("price", row.price),
                "errors": errors.get(i, {}),
            }
        )
    return rows


def goods_search_results(state: WizardState, q: str) -> list:
    q = (q or "").strip()
    if len(q) < 2:
        return []
    allowed = selectors.allowed_goods(state.portal, state.template)
    return search_nomenclature(state.portal, q, SEARCH_LIMIT, among=allowed)


def wizard_context(request, draft, **extra) -> dict:
    state = WizardState(draft)
    step = draft.step if draft.step in STEPS else STEPS[0]
    titles = step_titles()
    current = STEPS.index(step)
    bound = (extra.pop("forms", None) or {}).get(step)
    problems = extra.pop("problems", None)
    if problems is None:
        problems = state.party_problems()
    deal_id = draft.deal_id
    context = {
        "draft": draft,
        "state": state,
        "deal": state.context,
        "step": step,
        "steps": [
            {
                "key": key,
                "title": titles[key],
                "number": i + 1,
                "current": key == step,
                "done": i < current,
                "url": reverse("wizard:step", args=[deal_id, key]),
            }
            for i, key in enumerate(STEPS)
        ],
        "step_title": titles[step],
        "form": bound if bound is not None else step_form(state, step),
        "step_url": reverse("wizard:step", args=[deal_id, step]),
        "prev_url": reverse("wizard:step", args=[deal_id, STEPS[current - 1]]) if current else "",
        "search_url": reverse("wizard:goods_search", args=[deal_id]),
        "busy_users": selectors.other_managers_busy(draft),
        "problem_errors": [p for p in problems if p.is_error],
        "problem_warnings": [p for p in problems if not p.is_error],
        "notice": "",
        "notice_error": False,
        "job": None,
        "job_progress_url": "",
    }
    if step == "goods" or step == "review":
        errors = extra.pop("goods_errors", None) or {}
        posted = extra.pop("goods_posted", None) or {}
        context["goods_rows"] = _goods_rows(state, errors, posted)
        context["goods_general_errors"] = errors.get("all", [])
        context["totals"] = state.totals_for(state.rows)
    if step == "review":
        context["checklist"] = state.checklist()
        context["ready"] = all(c.ok for c in context["checklist"])
    context["no_client_message"] = _(
        "В сделке нет клиента с реквизитами: укажите компанию или контакт в Битрикс24 "
        "и откройте вкладку заново"
    )
    context.update(extra)
    return context
