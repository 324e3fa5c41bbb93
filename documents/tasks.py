"""Celery tasks of document generation: load by id, call the pipeline."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=900)
def run_job(job_id: int) -> None:
    """Run what is left of a generation job. Retries are not Celery's: the pipeline records
    the wait in the job and re-enqueues it (and the sweeper finds it if that message is lost)."""
    from .pipeline import advance

    advance(job_id)


@shared_task(ignore_result=True)
def resume_stale_jobs() -> None:
    """Every minute (beat): jobs abandoned by a killed worker or whose wake-up was lost."""
    from .pipeline import resume_stale_jobs as resume

    resume()
