"""The generation job in the deal tab: progress (polled until done), documents with download
and preview, the deal's job history with «устарел», retry and regenerate, the audit.

Identity comes from the tab session (`X-Tab-Token`); a job of another portal or another deal
than the tab's is 404. File links can't carry that header (a browser opens them), so they are
short-lived signed URLs instead.
"""

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from b24app.decorators import error_page, portal_session_required

from . import selectors
from .models import GenerationJob
from .pipeline import JobActionRefused, job_regenerate, job_retry

TEMPLATE = "documents/jobs/jobs.html"
FILE_SALT = "documents.generated-file.v1"
FILE_LINK_MAX_AGE = 15 * 60  # long enough to click, too short to pass around
Status = GenerationJob.Status


def _job(request: HttpRequest, job_id: int) -> GenerationJob:
    job = selectors.job_for_deal(portal=request.portal, deal_id=request.tab.deal_id, job_id=job_id)
    if job is None:
        raise Http404("no such job in this deal")
    return job


def _deal(request: HttpRequest, deal_id: str) -> str:
    if str(deal_id) != str(request.tab.deal_id):
        raise Http404("another deal")
    return str(deal_id)


def file_url(row, *, inline: bool = False) -> str:
    token = signing.dumps({"f": row.pk, "p": row.portal_id, "i": int(inline)}, salt=FILE_SALT)
    return reverse("documents:job_file", args=[token])


def _progress_context(job: GenerationJob) -> dict:
    documents = selectors.job_documents(job) if job.status == Status.DONE else []
    for doc in documents:
        doc.links = {
            fmt: {"download": file_url(row), "preview": file_url(row, inline=True)}
            for fmt, row in doc.files.items()
        }
    return {
        "job": job,
        "steps": selectors.job_steps(job),
        "documents": documents,
        "stale": selectors.job_staleness(job),
        "final": job.status in (Status.DONE, Status.FAILED),
        "waiting": job.status in (Status.WAITING_1C, Status.WAITING_B24),
    }


def _progress(request: HttpRequest, job: GenerationJob, *, status: int = 200) -> HttpResponse:
    context = _progress_context(job)
    response = render(request, f"{TEMPLATE}#progress", context, status=status)
    if context["final"] and request.htmx:
        # 286 tells htmx to stop polling; the final state is still swapped in.
        return HttpResponseStopPolling(response.content)
    return response


@require_GET
@portal_session_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    return _progress(request, _job(request, job_id))


@csrf_exempt
@require_POST
@portal_session_required
def job_retry_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    try:
        job = job_retry(job=job, user=request.b24_user)
    except JobActionRefused:
        return error_page(
            request, _("Это задание нельзя повторить: оно не завершилось ошибкой."), 409
        )
    job.refresh_from_db()
    return _progress(request, job)


@csrf_exempt
@require_POST
@portal_session_required
def job_regenerate_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.status not in (Status.DONE, Status.FAILED):
        return error_page(request, _("Дождитесь окончания текущего задания."), 409)
    current = request.POST.get("version") == "current"
    new_job = job_regenerate(job=job, user=request.b24_user, current_version=current)
    new_job.refresh_from_db()
    return _progress(request, new_job)


@require_GET
@portal_session_required
def job_history(request: HttpRequest, deal_id: str) -> HttpResponse:
    deal_id = _deal(request, deal_id)
    jobs = selectors.jobs_for_deal(portal=request.portal, deal_id=deal_id)
    rows = [{"job": job, "stale": selectors.job_staleness(job)} for job in jobs]
    return render(request, f"{TEMPLATE}#history", {"rows": rows, "deal_id": deal_id})


@require_GET
@portal_session_required
def deal_audit(request: HttpRequest, deal_id: str) -> HttpResponse:
    deal_id = _deal(request, deal_id)
    events = selectors.audit_for_deal(portal=request.portal, deal_id=deal_id)
    return render(request, f"{TEMPLATE}#audit", {"events": events, "deal_id": deal_id})


@require_GET
def job_file(request: HttpRequest, token: str) -> HttpResponse:
    """A generated file by its signed link: download, or inline for the preview."""
    try:
        data = signing.loads(token, salt=FILE_SALT, max_age=FILE_LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return error_page(request, _("Ссылка устарела. Откройте вкладку сделки заново."), 404)
    from b24app.selectors import portal_get_active

    portal = portal_get_active(int(data["p"]))
    row = portal and selectors.generated_file(portal=portal, file_id=data["f"])
    if not row or not row.file:
        raise Http404("no such file")
    inline = bool(data.get("i"))
    name = row.file.name.rsplit("/", 1)[-1]
    response = FileResponse(row.file.open("rb"), as_attachment=not inline, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
