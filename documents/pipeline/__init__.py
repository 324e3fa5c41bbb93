"""The idempotent generation pipeline: counterparty → contract → invoice (+post) → print forms
→ contract rendering → attach → notify → done. See runner.py for how a job is run."""

from .actions import JobActionRefused, job_regenerate, job_retry, resume_stale_jobs
from .runner import advance, retry_delay

__all__ = [
    "JobActionRefused",
    "advance",
    "job_regenerate",
    "job_retry",
    "resume_stale_jobs",
    "retry_delay",
]
