"""The wizard's htmx views: each returns the wizard section (stepper + one step) as a partial.

Identity comes from the tab session (`X-Tab-Token`); the deal is the session's deal, and the
deal id in the URL must match it. Posts are csrf-exempt because the iframe has no cookies; the
custom header a cross-site form cannot send is what protects them.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from b24app.decorators import portal_session_required
from b24app.tab_session import HEADER

from . import selectors, services
from .context import goods_search_results, wizard_context
from .forms import ClientForm, ContractForm, OutputsForm, TermsForm
from .goods import GoodsPostError, goods_post
from .state import STEPS, WizardState


def _draft(request: HttpRequest, deal_id: str):
    if str(deal_id) != str(request.tab.deal_id):
        raise Http404("another deal")
    draft = selectors.draft_get(portal=request.portal, user=request.b24_user, deal_id=deal_id)
    if draft is None:
        raise Http404("no draft: open the tab again")
    return draft


def _render(request, draft, *, status=200, **extra) -> HttpResponse:
    context = wizard_context(request, draft, **extra)
    if request.htmx:
        return render(request, "wizard/wizard.html#wizard", context, status=status)
    context["tab_token"] = request.headers.get(HEADER, "")
    return render(request, "wizard/page.html", context, status=status)


def _tampered(form) -> bool:
    return any(
        error.code == "invalid_choice"
        for errors in form.errors.as_data().values()
        for error in errors
    )


def _next(step: str) -> str:
    return STEPS[min(STEPS.index(step) + 1, len(STEPS) - 1)]


@csrf_exempt
@require_http_methods(["GET", "POST"])
@portal_session_required
def step(request: HttpRequest, deal_id: str, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("no such step")
    draft = _draft(request, deal_id)
    if request.method == "GET":
        services.draft_update(draft, step=step)
        return _render(request, draft)
    handler = {
        "client": _post_client,
        "contract": _post_contract,
        "terms": _post_terms,
        "goods": _post_goods,
        "review": _post_review,
    }[step]
    return handler(request, draft)


def _invalid(request, draft, form, **extra):
    status = 400 if _tampered(form) else 200
    return _render(request, draft, status=status, forms={draft.step: form}, **extra)


def _post_client(request, draft):
    state = WizardState(draft)
    form = ClientForm(state, request.POST)
    action = request.POST.get("action", "next")
    valid = form.is_valid()
    if action in ("dadata", "save_inn"):
        if "requisite_id" in form.errors or "inn" in form.errors:
            return _invalid(request, draft, form)
        client = state.section("client")
        client.update(requisite_id=form.cleaned_data["requisite_id"], inn=form.cleaned_data["inn"])
        services.draft_update(draft, step="client", client=client)
        if action == "dadata":
            services.dadata_check(draft)
            return _render(request, draft)
        try:
            message = services.inn_save_to_b24(draft=draft, user=request.b24_user)
        except services.WizardError as exc:
            return _render(request, draft, notice=str(exc), notice_error=True)
        return _render(request, draft, notice=message)
    if not valid:
        return _invalid(request, draft, form, problems=getattr(form, "problems", None))
    client = state.section("client")
    client.update(
        requisite_id=form.cleaned_data["requisite_id"],
        inn=form.cleaned_data["inn"],
        region_id=form.cleaned_data["region"],
        legal_entity_id=form.cleaned_data["legal_entity"],
    )
    services.draft_update(draft, step=_next("client"), client=client)
    return _render(request, draft)


def _post_contract(request, draft):
    form = ContractForm(WizardState(draft), request.POST)
    if not form.is_valid():
        return _invalid(request, draft, form)
    services.draft_update(draft, step=_next("contract"), contract=form.cleaned_data)
    return _render(request, draft)


def _post_terms(request, draft):
    form = TermsForm(WizardState(draft), request.POST)
    if not form.is_valid():
        return _invalid(request, draft, form)
    terms = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in form.cleaned_data.items()
    }
    services.draft_update(draft, step=_next("terms"), terms=terms)
    return _render(request, draft)


def _post_goods(request, draft):
    try:
        outcome = goods_post(WizardState(draft), request.POST)
    except GoodsPostError as exc:
        return HttpResponseBadRequest(str(exc))
    if outcome.errors:
        return _render(request, draft, goods_errors=outcome.errors, goods_posted=outcome.posted)
    step = _next("goods") if outcome.advance else "goods"
    services.draft_update(draft, step=step, goods={"rows": outcome.rows})
    return _render(request, draft)


def _post_review(request, draft):
    form = OutputsForm(request.POST)
    if not form.is_valid():
        return _invalid(request, draft, form)
    services.draft_update(draft, outputs=form.cleaned_data)
    try:
        job = services.draft_submit(draft=draft, user=request.b24_user, lang=request.tab.lang)
    except services.WizardError as exc:
        return _render(request, draft, notice=str(exc), notice_error=True)
    return _render(request, draft, job=job, job_progress_url=_progress_url(job))


def _progress_url(job) -> str:
    try:
        return reverse("documents:job_progress", args=[job.pk])
    except NoReverseMatch:  # built by the documents part; until then a static block
        return ""


@require_GET
@portal_session_required
def goods_search(request: HttpRequest, deal_id: str) -> HttpResponse:
    draft = _draft(request, deal_id)
    state = WizardState(draft)
    q = request.GET.get("q", "")[:100]
    context = {"results": goods_search_results(state, q), "q": q}
    return render(request, "wizard/wizard.html#goods-results", context)
