"""Steps in Bitrix24: the documents into the deal, then one batch with the timeline line, the
manager's notification and the optional stage move.

Uploads can't go into a batch (Bitrix24 refuses files there), so the happy path is one upload
per document and one batch: 3 requests for the default set (contract + invoice).
An upload is marked "attempted" (committed) before the call; only a re-run that finds that mark
without a document id asks Bitrix24 (`document.list`) whether the document arrived, so a crash
between the upload and our commit never puts a second copy into the deal.
"""

import base64
import logging

from django.utils.translation import gettext as _

from b24app.client import B24RateLimited

from ..models import GeneratedFile, PortalSettings
from ..money import format_money
from .failures import B24, StepFailed
from .runner import Run, Step
from .steps_files import variants

log = logging.getLogger("documents.pipeline")

DEAL = 2  # entityTypeId of deals


def _units(run: Run) -> list[tuple[str, str, bool]]:
    kinds = [GeneratedFile.Kind.CONTRACT] if run.order.issues_contract else []
    kinds.append(GeneratedFile.Kind.INVOICE)
    return [
        (f"{kind}-{'stamp' if v else 'plain'}", kind, v) for kind in kinds for v in variants(run)
    ]


def document_title(run: Run, kind: str, with_stamp: bool) -> tuple[str, str]:
    if kind == GeneratedFile.Kind.CONTRACT:
        data = run.result(Step.CONTRACT)
        title = _("Договор № %(n)s") % {"n": data["number"]}
    else:
        data = run.result(Step.INVOICE)
        title = _("Счёт на оплату № %(n)s") % {"n": data["number"]}
    if not with_stamp:
        title += " " + _("(без печати)")
    return title, data["number"]


def _files(run: Run, kind: str, with_stamp: bool) -> dict[str, GeneratedFile]:
    rows = GeneratedFile.objects.filter(job=run.job, kind=kind, with_stamp=with_stamp)
    return {row.format: row for row in rows}


def _content(row: GeneratedFile | None) -> str:
    if row is None:
        return ""
    with row.file.open("rb") as handle:
        return base64.b64encode(handle.read()).decode()


def step_attach(run: Run) -> None:
    state = run.result(Step.ATTACH)
    docs = dict(state.get("docs") or {})
    for key, kind, with_stamp in _units(run):
        if docs.get(key, {}).get("id"):
            continue
        title, number = document_title(run, kind, with_stamp)
        found = _find_uploaded(run, title, number) if docs.get(key, {}).get("attempted") else None
        if found is None:
            docs[key] = {"attempted": True}
            run.save(Step.ATTACH, {"done": False, "docs": docs})
            found = _upload(run, kind, with_stamp, title, number)
        docs[key] = {
            "id": str(found["id"]),
            "title": title,
            "url": found.get("pdfUrl") or found.get("downloadUrl") or "",
        }
        GeneratedFile.objects.filter(job=run.job, kind=kind, with_stamp=with_stamp).update(
            b24_document_id=str(found["id"])
        )
        run.save(
            Step.ATTACH,
            {"done": False, "docs": docs},
            action="job.attached",
            b24_document_id=str(found["id"]),
            title=title,
        )
    run.save(Step.ATTACH, {"done": True, "docs": docs})


def _upload(run: Run, kind: str, with_stamp: bool, title: str, number: str) -> dict:
    files = _files(run, kind, with_stamp)
    if "docx" not in files:
        raise StepFailed(_("Файл документа не найден — сформируйте документы заново."))
    fields = {
        "entityTypeId": DEAL,
        "entityId": run.job.deal_id,
        "region": "ru",
        "title": title,
        "number": number,
        "fileContent": _content(files["docx"]),
        "stampsEnabled": "Y" if with_stamp else "N",
    }
    if "pdf" in files:
        fields["pdfContent"] = _content(files["pdf"])
    answer = run.b24().call("crm.documentgenerator.document.upload", {"fields": fields})
    document = (answer or {}).get("document") if isinstance(answer, dict) else None
    if not document or not document.get("id"):
        raise StepFailed(_("Битрикс24 не вернул документ после загрузки."), system=B24)
    return document


def _find_uploaded(run: Run, title: str, number: str) -> dict | None:
    rows = run.b24().list_all(
        "crm.documentgenerator.document.list",
        {"filter": {"entityTypeId": DEAL, "entityId": run.job.deal_id, "title": title}},
        limit=200,
    )
    for row in rows:
        if str(row.get("number")) == str(number) and str(row.get("title")) == title:
            return row
    return None


def _summary(run: Run) -> str:
    parts = []
    contract = run.result(Step.CONTRACT)
    if run.order.issues_contract:
        parts.append(_("договор № %(n)s") % {"n": contract["number"]})
    invoice = run.result(Step.INVOICE)
    parts.append(
        _("счёт № %(n)s на %(sum)s руб.")
        % {"n": invoice["number"], "sum": format_money(_decimal(invoice["total"]))}
    )
    if not run.order.issues_contract and contract.get("number"):
        parts.append(_("по договору № %(n)s") % {"n": contract["number"]})
    return ", ".join(parts)


def _decimal(value):
    from decimal import Decimal

    return Decimal(str(value))


def _stage(run: Run) -> str:
    settings_row = PortalSettings.objects.filter(portal=run.portal).first()
    mapping = settings_row.stage_after_documents if settings_row else {}
    if not mapping:
        return ""
    category = ""
    draft = run.job.draft
    if draft is not None:
        category = str((draft.data.get("context") or {}).get("category_id") or "")
    return str(mapping.get(category or "0") or "")


def step_notify(run: Run) -> None:
    state = run.result(Step.NOTIFY)
    # The sentences below end with a period; «руб.» must not make it two.
    summary = _summary(run).rstrip(".")
    deal_url = f"{run.portal.origin}/crm/deal/details/{run.job.deal_id}/"
    docs = (run.result(Step.ATTACH).get("docs") or {}).values()
    links = " ".join(f"[URL={d['url']}]{d['title']}[/URL]" for d in docs if d.get("url"))
    commands: dict = {}
    # The log line has no key to look it up by: at most once (a lost line beats a duplicate).
    if not state.get("attempted"):
        commands["log"] = (
            "crm.timeline.logmessage.add",
            {
                "fields": {
                    "entityTypeId": DEAL,
                    "entityId": run.job.deal_id,
                    "title": _("Документы из 1С"),
                    "text": _("Сформированы: %(what)s.") % {"what": summary},
                    "iconCode": "info",
                }
            },
        )
    message = _("Документы по [URL=%(url)s]сделке %(deal)s[/URL] готовы: %(what)s. %(links)s") % {
        "url": deal_url,
        "deal": run.job.deal_id,
        "what": summary,
        "links": links,
    }
    commands["notify"] = (
        "im.notify.system.add",
        # The tag makes a repeated notification replace the earlier one instead of adding.
        {"USER_ID": run.job.user.user_id, "MESSAGE": message, "TAG": f"docs1c-job-{run.job.pk}"},
    )
    stage = _stage(run)
    if stage and not state.get("stage_moved"):
        commands["stage"] = (
            "crm.deal.update",
            {"id": run.job.deal_id, "fields": {"STAGE_ID": stage}},
        )
    run.save(Step.NOTIFY, {**state, "done": False, "attempted": True})
    try:
        _results, errors = run.b24().batch(commands)
    except B24RateLimited:
        # Refused before anything ran: the log line may go next time.
        run.save(Step.NOTIFY, {**state, "done": False, "attempted": False})
        raise
    if errors:
        log.warning("job %s: notify sub-calls failed: %s", run.job.pk, sorted(errors))
    run.save(
        Step.NOTIFY,
        {
            "done": True,
            "attempted": True,
            "stage_moved": bool(stage) and "stage" not in errors,
            "errors": sorted(errors),
        },
        action="job.notified",
        summary=summary,
        stage=stage,
        failed_calls=sorted(errors),
    )
