"""`advance(job_id)`: run the remaining steps of a generation job, each in its own transaction.

A job is run by whoever holds its lease (`lease_token`, `locked_until`): `claim()` takes it with
SELECT … FOR UPDATE SKIP LOCKED, so two workers handed the same job (a redelivered message and
the sweeper's) never run it together; every step commit checks the token and extends the lease.
A worker killed mid-step leaves a running job with an expiring lease: the beat sweeper
(`resume_stale_jobs`) re-enqueues it and the steps already recorded in `job.results` are skipped.
Steps that call 1C or Bitrix24 are idempotent by lookup, so the step that was cut off is simply
run again.
"""

import logging
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from ..audit import audit
from ..models import GenerationJob
from ..order import DocumentOrder
from ..selectors import deal_snapshot
from .failures import B24, CONVERTER, Failure, LeaseLost, classify

log = logging.getLogger("documents.pipeline")

Status, Step = GenerationJob.Status, GenerationJob.Step
WAITING = (Status.WAITING_1C, Status.WAITING_B24)
FINAL = (Status.DONE, Status.FAILED)
# A countdown message may arrive a moment before `next_attempt_at` (clock skew between hosts).
EARLY_TOLERANCE = timedelta(seconds=2)


def setting(name: str, default):
    return getattr(settings, name, default)


def lease_duration() -> timedelta:
    # Longer than the slowest step (1C timeouts are 60 s and more, a PDF conversion up to 60 s).
    return timedelta(seconds=setting("GENERATION_LEASE_SECONDS", 300))


@dataclass
class Run:
    """The job as this worker holds it, with the clients its steps share."""

    job: GenerationJob
    token: str
    order: DocumentOrder
    timings: dict = field(default_factory=dict)
    _onec: object = None
    _b24: object = None

    @property
    def portal(self):
        return self.job.portal

    def result(self, step: str) -> dict:
        return dict(self.job.results.get(step) or {})

    def onec(self):
        if self._onec is None:
            from onec.services import client_for_portal

            self._onec = client_for_portal(self.portal)
        return self._onec

    def b24(self):
        if self._b24 is None:
            from b24app.client import client_for

            self._b24 = client_for(self.portal, self.job.user)
        return self._b24

    def save(self, step: str, result: dict, *, action: str = "", obj=None, **details) -> None:
        """Record `result` under `step` (and audit `action`) if we still hold the lease."""
        with transaction.atomic():
            job = _locked_job(self)
            job.results = {**job.results, step: result}
            job.locked_until = timezone.now() + lease_duration()
            job.save(update_fields=["results", "locked_until", "updated_at"])
            if action:
                audit(
                    portal=job.portal,
                    action=action,
                    job=job,
                    obj=obj,
                    inputs_hash=job.inputs_hash,
                    template_version_id=job.template_version_id,
                    **details,
                )
            self.job = job


def _locked_job(run: Run) -> GenerationJob:
    job = (
        GenerationJob.objects.select_for_update(of=("self",))
        .select_related("portal", "user")
        .get(pk=run.job.pk)
    )
    if job.lease_token != run.token or job.status != Status.RUNNING:
        raise LeaseLost(f"job {job.pk} was taken over")
    return job


def claim(job_id: int) -> Run | None:
    """Take the job if it is ours to run now; None when it is done, failed, not due yet, or
    another worker holds a live lease (or is claiming it this very moment)."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            GenerationJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("portal", "user", "draft")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status in FINAL:
            return None
        if job.status == Status.RUNNING and job.locked_until and job.locked_until > now:
            return None
        if (
            job.status in WAITING
            and job.next_attempt_at
            and job.next_attempt_at > now + (EARLY_TOLERANCE)
        ):
            return None
        resumed = job.status == Status.RUNNING  # its previous holder vanished
        previous = job.status
        job.status = Status.RUNNING
        job.lease_token = uuid.uuid4().hex
        job.locked_until = now + lease_duration()
        job.attempts += 1
        job.next_attempt_at = None
        job.started_at = job.started_at or now
        if "deal_snapshot" not in job.results and job.draft_id:
            # What the deal looked like when its documents were made: «устарел» compares to it.
            snapshot = deal_snapshot((job.draft.data or {}).get("context"))
            job.results = {**job.results, "deal_snapshot": snapshot}
        job.save()
        audit(
            portal=job.portal,
            action="job.resumed" if resumed else "job.running",
            job=job,
            obj=job,
            previous_status=previous,
            attempt=job.attempts,
            step=job.step,
        )
    return Run(job=job, token=job.lease_token, order=DocumentOrder.from_json(job.inputs))


def _begin_step(run: Run, step: str) -> None:
    with transaction.atomic():
        job = _locked_job(run)
        job.step = step
        job.locked_until = timezone.now() + lease_duration()
        job.save(update_fields=["step", "locked_until", "updated_at"])
        run.job = job


def advance(job_id: int) -> str | None:
    """Run what is left of the job. Returns the status it ended in (None: not ours to run)."""
    from .steps import STEPS

    run = claim(job_id)
    if run is None:
        return None
    # Failures are stored as text the manager reads: word them in the manager's language.
    with translation.override(run.job.lang or "ru"):
        return _run_steps(run, STEPS)


def _run_steps(run: Run, steps) -> str | None:
    job_id = run.job.pk
    for step, perform in steps:
        if run.result(step).get("done"):
            continue
        started = time.monotonic()
        try:
            _begin_step(run, step)
            perform(run)
        except LeaseLost:
            log.warning("job %s: lease lost during %s, leaving it to its new holder", job_id, step)
            return None
        except Exception as exc:  # every failure ends in a state the manager can see
            failure = classify(exc, job_id=job_id, step=step)
            return _record_failure(run, step, failure)
        finally:
            run.timings[step] = round((time.monotonic() - started) * 1000)
    return _finish(run)


def _finish(run: Run) -> str:
    try:
        with transaction.atomic():
            job = _locked_job(run)
            now = timezone.now()
            job.status, job.step = Status.DONE, Step.DONE
            job.finished_at = now
            job.locked_until, job.lease_token = None, ""
            job.error_step, job.error_message, job.waiting_since = "", "", None
            job.save()
            audit(
                portal=job.portal,
                action="job.done",
                job=job,
                obj=job,
                inputs_hash=job.inputs_hash,
                template_version_id=job.template_version_id,
                seconds=round((now - job.created_at).total_seconds(), 3),
                step_ms=run.timings,
                onec=_onec_ids(job.results),
                b24_document_ids=_b24_ids(job.results),
            )
    except LeaseLost:
        return None
    return Status.DONE


def retry_delay(attempt: int) -> float:
    """Exponential backoff with ±20% jitter, so jobs that failed together don't return
    together and hit a recovering 1C at once."""
    base = float(setting("GENERATION_RETRY_BASE_SECONDS", 30))
    cap = float(setting("GENERATION_RETRY_MAX_DELAY_SECONDS", 30 * 60))
    delay = min(cap, base * 2 ** max(attempt - 1, 0))
    return delay * random.uniform(0.8, 1.2)


def _gives_up(job: GenerationJob, failure: Failure, now) -> bool:
    if not failure.retryable:
        return True
    window = timedelta(hours=float(setting("GENERATION_RETRY_WINDOW_HOURS", 24)))
    if now - (job.waiting_since or now) >= window:
        return True
    # A document LibreOffice keeps choking on will not convert tomorrow either.
    if failure.system == CONVERTER:
        return job.attempts >= int(setting("GENERATION_CONVERSION_MAX_ATTEMPTS", 3))
    return False


def _record_failure(run: Run, step: str, failure: Failure) -> str | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            job = _locked_job(run)
            job.locked_until, job.lease_token = None, ""
            job.error_step, job.error_message = step, failure.message
            if _gives_up(job, failure, now):
                job.status = Status.FAILED
                job.finished_at = now
                job.next_attempt_at = None
                action = "job.failed"
            else:
                job.status = Status.WAITING_B24 if failure.system == B24 else Status.WAITING_1C
                job.waiting_since = job.waiting_since or now
                delay = retry_delay(job.attempts)
                job.next_attempt_at = now + timedelta(seconds=delay)
                action = "job.waiting"
                transaction.on_commit(lambda: enqueue(job.pk, countdown=delay))
            job.save()
            audit(
                portal=job.portal,
                action=action,
                job=job,
                obj=job,
                step=step,
                reason=failure.message,
                system=failure.system,
                retryable=failure.retryable,
                attempt=job.attempts,
                next_attempt_at=job.next_attempt_at.isoformat() if job.next_attempt_at else None,
                step_ms=run.timings,
            )
    except LeaseLost:
        return None
    return job.status


def enqueue(job_id: int, *, countdown: float = 0) -> None:
    """Hand the job to a worker (after `countdown` seconds); the only place that sends it."""
    from ..tasks import run_job

    run_job.apply_async((job_id,), countdown=countdown)


def _onec_ids(results: dict) -> dict:
    return {
        name: results[name].get("ref")
        for name in ("counterparty", "contract", "invoice")
        if results.get(name, {}).get("ref")
    }


def _b24_ids(results: dict) -> list[str]:
    docs = (results.get("attach") or {}).get("docs") or {}
    return [d["id"] for d in docs.values() if d.get("id")]
