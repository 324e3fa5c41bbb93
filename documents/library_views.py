"""The yearly-contract library for managers and admins (any user of the portal).

Same conventions as the settings views: identity from the tab token, rows through the portal.
"""

import json

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from b24app.decorators import portal_session_required

from . import library
from .settings_forms import DealForm, LibrarySearchForm
from .settings_views import render_section


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    return render_section(request, template, context, status, page="documents/library/page.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@portal_session_required
def library_index(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    form = LibrarySearchForm(
        data or None, portal=request.portal, years=library.contract_years(request.portal)
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entity = filters.get("legal_entity")
    contracts = library.contracts_search(
        request.portal,
        q=filters.get("q", ""),
        legal_entity_id=entity.pk if entity else None,
        year=filters.get("year"),
        status=filters.get("status", ""),
    )
    context = {
        "form": form,
        "contracts": contracts,
        "expiring": library.contracts_expiring(request.portal),
    }
    return _render(request, "documents/library/index.html", context)


def _contract(request, contract_id):
    contract = library.contract_get(request.portal, contract_id)
    if contract is None:
        raise Http404
    return contract


@csrf_exempt
@require_http_methods(["GET", "POST"])
@portal_session_required
def library_contract(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    context = {
        "contract": contract,
        "invoices": library.contract_invoices(contract),
        "files": library.contract_files(contract),
        "deal_form": DealForm(initial={"deal_id": contract.deal_id}),
    }
    return _render(request, "documents/library/contract.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@portal_session_required
def library_contract_file(request: HttpRequest, contract_id: int, file_id: int):
    contract = _contract(request, contract_id)
    generated = library.contract_file_get(contract, file_id)
    if generated is None:
        raise Http404
    name = (
        f"contract-{contract.number}{'-stamp' if generated.with_stamp else ''}.{generated.format}"
    )
    return FileResponse(generated.file.open("rb"), as_attachment=True, filename=name)


@csrf_exempt
@require_POST
@portal_session_required
def library_issue_invoice(request: HttpRequest, contract_id: int) -> HttpResponse:
    """«Выставить счёт по договору»: remember the contract for this user's wizard in the deal and
    ask the page to open the deal card (BX24.openPath), where the «Документы» tab picks it up."""
    contract = _contract(request, contract_id)
    form = DealForm(request.POST)
    if not form.is_valid():
        context = {
            "contract": contract,
            "invoices": library.contract_invoices(contract),
            "files": library.contract_files(contract),
            "deal_form": form,
        }
        return _render(request, "documents/library/contract.html", context, status=400)
    deal_id = form.cleaned_data["deal_id"]
    library.contract_handoff(
        portal=request.portal, user=request.b24_user, deal_id=deal_id, contract=contract
    )
    deal_path = f"/crm/deal/details/{deal_id}/"
    context = {"contract": contract, "deal_id": deal_id, "deal_path": deal_path}
    response = _render(request, "documents/library/issued.html", context)
    response["HX-Trigger"] = json.dumps({"docs1c:open-path": {"path": deal_path}})
    return response
