"""Celery tasks of document generation: load by id, call the pipeline."""

import os

from celery import shared_task
from celery.signals import worker_process_shutdown, worker_shutdown


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


@worker_process_shutdown.connect
@worker_shutdown.connect
def stop_converter(**_kwargs) -> None:
    """Take this process's LibreOffice down with it. Prefork children leave through os._exit,
    which skips the converter's atexit hook; without this every worker restart would leave a
    LibreOffice (in its own session, so not killed with the worker's group) running."""
    from . import converter

    if converter._converter is not None and converter._converter_pid == os.getpid():
        converter._converter.stop()
