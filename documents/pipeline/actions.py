"""What people and the beat sweeper do to jobs: retry a failed one, regenerate, resume."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..audit import audit
from ..jobs import job_submit
from ..models import GenerationJob
from ..order import DocumentOrder
from .runner import WAITING, Status, enqueue

log = logging.getLogger("documents.pipeline")

# A pending job whose start message got lost (broker down at submit) is picked up after this.
PENDING_GRACE = timedelta(minutes=1)


class JobActionRefused(Exception):
    """The action does not apply to the job in its current state (message for the manager)."""


def job_retry(*, job: GenerationJob, user) -> GenerationJob:
    """«Повторить»: a failed job continues from its failed step (recorded steps are kept)."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (Status.FAILED, *WAITING):
            raise JobActionRefused(job.get_status_display())
        previous = job.status
        job.status = Status.PENDING
        job.next_attempt_at = None
        job.waiting_since = None
        job.finished_at = None
        job.save()
        audit(
            portal=job.portal,
            action="job.retry",
            actor_user_id=user.user_id,
            job=job,
            obj=job,
            previous_status=previous,
            failed_step=job.error_step,
            reason=job.error_message,
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def job_regenerate(*, job: GenerationJob, user, current_version: bool = False) -> GenerationJob:
    """A new job from the same inputs; with `current_version` the template's current version
    replaces the one the job used. A new salt per press would make double clicks two jobs, so
    the salt is the source job plus the version: pressing twice gives one new job."""
    order = DocumentOrder.from_json(job.inputs)
    if current_version and order.template_id:
        from ..models import ContractTemplate

        template = ContractTemplate.objects.for_portal(job.portal).filter(pk=order.template_id)
        current = template.values_list("current_version_id", flat=True).first()
        if current:
            order.template_version_id = current
    salt = f"regenerate:{job.pk}:{order.template_version_id or ''}:{job.finished_at or ''}"
    new_job = job_submit(order=order, user=user, draft=job.draft, salt=salt, lang=job.lang)
    return new_job


def resume_stale_jobs(*, now=None, limit: int = 500) -> list[int]:
    """Enqueue jobs nobody is running: running ones whose lease expired (worker killed),
    waiting ones that are due (their countdown message lost), pending ones never started."""
    now = now or timezone.now()
    due = (
        GenerationJob.objects.filter(
            Q(status=Status.RUNNING, locked_until__lt=now)
            | Q(status__in=WAITING, next_attempt_at__lte=now)
            | Q(status=Status.PENDING, created_at__lt=now - PENDING_GRACE)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(due)
    for job_id in ids:
        enqueue(job_id)
    if ids:
        log.info("resuming %d generation jobs: %s", len(ids), ids[:20])
    return ids
