"""Reads of generation jobs for the deal tab: progress, documents, history, «устарел», audit.

Everything is reached through the portal and the tab's deal, so an id of another portal or
another deal is simply not found.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import AuditEvent, GeneratedFile, GenerationJob

Status, Step = GenerationJob.Status, GenerationJob.Step
STEP_ORDER = [s for s in Step.values if s != Step.DONE]


def job_for_deal(*, portal, deal_id: str, job_id) -> GenerationJob | None:
    return (
        GenerationJob.objects.for_portal(portal)
        .filter(pk=job_id, deal_id=str(deal_id))
        .select_related("user", "template_version__template", "contract", "draft")
        .first()
    )


def jobs_for_deal(*, portal, deal_id: str, limit: int = 20) -> list[GenerationJob]:
    return list(
        GenerationJob.objects.for_portal(portal)
        .filter(deal_id=str(deal_id))
        .select_related("user", "template_version", "draft")
        .order_by("-created_at", "-pk")[:limit]
    )


def audit_for_deal(*, portal, deal_id: str, limit: int = 200) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_portal(portal)
        .filter(deal_id=str(deal_id))
        .order_by("-at", "-pk")[:limit]
    )


def generated_file(*, portal, file_id) -> GeneratedFile | None:
    return GeneratedFile.objects.for_portal(portal).filter(pk=file_id).select_related("job").first()


@dataclass
class StepLine:
    name: str
    label: str
    state: str  # done / current / waiting / failed / pending / skipped


def job_steps(job: GenerationJob) -> list[StepLine]:
    lines = []
    results = job.results or {}
    for name in STEP_ORDER:
        result = results.get(name) or {}
        if result.get("done"):
            state = "skipped" if result.get("skipped") else "done"
        elif job.status == Status.FAILED and name == (job.error_step or job.step):
            state = "failed"
        elif job.status in (Status.WAITING_1C, Status.WAITING_B24) and name == job.error_step:
            state = "waiting"
        elif job.status == Status.RUNNING and name == job.step:
            state = "current"
        else:
            state = "pending"
        lines.append(StepLine(name, str(Step(name).label), state))
    return lines


@dataclass
class DocumentSet:
    """One document (contract or invoice, one stamp variant) in its formats."""

    kind: str
    label: str
    with_stamp: bool
    number: str
    b24_document_id: str = ""
    files: dict = field(default_factory=dict)  # format -> GeneratedFile


def job_documents(job: GenerationJob) -> list[DocumentSet]:
    results = job.results or {}
    numbers = {
        GeneratedFile.Kind.CONTRACT: (results.get("contract") or {}).get("number", ""),
        GeneratedFile.Kind.INVOICE: (results.get("invoice") or {}).get("number", ""),
    }
    sets: dict[tuple, DocumentSet] = {}
    for row in job.files.order_by("kind", "-with_stamp", "format"):
        key = (row.kind, row.with_stamp)
        if key not in sets:
            sets[key] = DocumentSet(
                kind=row.kind,
                label=str(GeneratedFile.Kind(row.kind).label),
                with_stamp=row.with_stamp,
                number=numbers.get(row.kind, ""),
            )
        sets[key].files[row.format] = row
        sets[key].b24_document_id = sets[key].b24_document_id or row.b24_document_id
    order = {GeneratedFile.Kind.CONTRACT: 0, GeneratedFile.Kind.INVOICE: 1}
    return sorted(sets.values(), key=lambda s: (order.get(s.kind, 9), not s.with_stamp))


# --- «устарел» ---------------------------------------------------------------------------------


def _digest(value) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


_CLIENT_FIELDS = ("inn", "kpp", "ogrn", "full_name", "short_name", "director", "legal_address")


def _client_facts(party: dict | None) -> dict:
    party = party or {}
    bank = party.get("bank") or {}
    facts = {name: party.get(name) or "" for name in _CLIENT_FIELDS}
    facts["bank"] = [bank.get(k) or "" for k in ("bik", "account", "corr_account")]
    return facts


def _product_facts(context: dict) -> list:
    from decimal import Decimal

    return sorted(
        [
            str(p.get("id")),
            str(Decimal(str(p.get("quantity") or 0)).normalize()),
            str(Decimal(str(p.get("price") or 0)).normalize()),
        ]
        for p in context.get("products") or []
    )


def deal_snapshot(context: dict | None) -> dict:
    """Digests of what the documents were made from, as the deal showed it (the draft's copy
    of the deal context): the products and the client's requisites."""
    context = context or {}
    return {
        "products": _digest(_product_facts(context)),
        "client": _digest(_client_facts(context.get("client"))),
    }


def job_staleness(job: GenerationJob) -> list[str]:
    """Why the documents of a finished job no longer match the deal (empty: they still do).

    Compares the deal as it was when the job ran with the deal as the tab last read it, and
    the dates the documents carry with the dates now in the manager's draft."""
    if job.status != Status.DONE or job.draft is None:
        return []
    then = (job.results or {}).get("deal_snapshot")
    data = job.draft.data or {}
    reasons = []
    if then:
        now = deal_snapshot(data.get("context"))
        if now["products"] != then["products"]:
            reasons.append(_("изменились товары сделки"))
        if now["client"] != then["client"]:
            reasons.append(_("изменились реквизиты клиента"))
    terms = data.get("terms") or {}
    inputs = job.inputs or {}
    for name in ("invoice_date", "contract_date"):
        if terms.get(name) and inputs.get(name) and str(terms[name]) != str(inputs[name]):
            reasons.append(_("изменились даты"))
            break
    return reasons
