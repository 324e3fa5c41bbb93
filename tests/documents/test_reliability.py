"""Reliability: double submits from many tabs, crashes between an outside call and our commit,
1C down for a while, a worker killed mid-job. Nothing is lost, nothing is made twice."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from documents.models import AuditEvent, GenerationJob
from documents.pipeline import advance, resume_stale_jobs
from documents.pipeline.runner import Run

from .pipeline_support import (
    DEAL_COMPANY,
    pipeline_env_fixture,  # noqa: F401 - the `env` fixture
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)
Status = GenerationJob.Status
INVOICES = "Document_СчетНаОплатуПокупателю"
PROJECT = Path(__file__).resolve().parents[2]
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the pipeline catches it."""


def one_set_made(env, deal_id=DEAL_COMPANY):
    client_inn = env.context(deal_id).client.inn
    assert len(env.onec.find("Catalog_Контрагенты", ИНН=client_inn, DeletionMark=False)) == 1
    assert len(env.onec.find("Catalog_ДоговорыКонтрагентов", Комментарий="docs1c:contract")) == 1
    assert len(env.onec.find(INVOICES)) == 1
    assert len(env.b24.state.deal_documents(deal_id)) == 2


def submitted_not_started(env, order=None):
    with mock.patch("documents.pipeline.runner.enqueue"):
        return submit(env, order)


@pytest.mark.parametrize(
    ("step", "when"),
    [
        ("counterparty", lambda result: result.get("done")),
        ("contract", lambda result: result.get("done")),
        ("invoice", lambda result: result.get("done")),
        ("attach", lambda result: any(d.get("id") for d in result.get("docs", {}).values())),
        ("notify", lambda result: result.get("done")),
    ],
)
def test_it_finishes_once_after_a_crash_between_the_outside_call_and_the_commit(env, step, when):
    job = submitted_not_started(env)
    original = Run.save
    crashed = []

    def save(self, name, result, **kwargs):
        if name == step and when(result) and not crashed:
            crashed.append(name)
            raise Killed(name)  # 1C or Bitrix24 did it; our record of it is lost
        return original(self, name, result, **kwargs)

    with mock.patch.object(Run, "save", save), pytest.raises(Killed):
        advance(job.pk)
    job.refresh_from_db()
    assert job.status == Status.RUNNING  # as a killed worker leaves it
    assert advance(job.pk) is None  # its lease is still live: nobody else may run it
    GenerationJob.objects.filter(pk=job.pk).update(locked_until=timezone.now() - timedelta(1))
    assert resume_stale_jobs() == [job.pk]  # the sweeper (eager Celery: runs it here)
    job.refresh_from_db()
    assert job.status == Status.DONE, job.error_message
    one_set_made(env)
    assert env.b24.stats.per_method["crm.documentgenerator.document.upload"] == 2
    assert AuditEvent.objects.filter(job=job, action="job.resumed").count() == 1


@needs_postgres
def test_it_makes_one_set_from_20_concurrent_submits_of_one_draft(env):
    order = env.order()
    start = threading.Barrier(20)
    job_ids, outcomes, errors = [], [], []

    def tab():
        try:
            start.wait()
            job = submit(env, order)
            job_ids.append(job.pk)
            start.wait()
            outcomes.append(advance(job.pk))  # every tab's worker tries to run it
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(20)]
    # Patched once for all threads (mock.patch is not thread-safe): the submits only record.
    with mock.patch("documents.pipeline.runner.enqueue"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert errors == []
    assert len(set(job_ids)) == 1
    job = GenerationJob.objects.get(pk=job_ids[0])
    if job.status != Status.DONE:  # the runner that claimed it was still finishing
        advance(job.pk)
        job.refresh_from_db()
    assert job.status == Status.DONE
    assert outcomes.count(Status.DONE) == 1  # exactly one worker ran it
    one_set_made(env)


# --- with a real Celery worker, Redis and PostgreSQL --------------------------------------------


@pytest.fixture
def worker(env, settings):
    """Start/stop a real `celery worker` on the test database; yields a starter."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("a real worker needs REDIS_URL (CI sets it)")
    if connection.vendor != "postgresql":
        pytest.skip("a real worker shares the test database: PostgreSQL only")
    import redis

    from b24app.celery import app

    redis.Redis.from_url(redis_url).flushdb()  # our own db number: stale messages out
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    child_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "b24app.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "B24_ALLOW_INSECURE_PORTALS": "1",
        "B24_CLIENT_ID": settings.B24_CLIENT_ID,
        "B24_CLIENT_SECRET": settings.B24_CLIENT_SECRET,
        "B24_OAUTH_URL": settings.B24_OAUTH_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CONN_MAX_AGE": "0",
    }
    processes = []

    def start():
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "b24app",
                "worker",
                "-P",
                "solo",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "WARNING",
            ],
            cwd=PROJECT,
            env=child_env,
        )
        processes.append(process)
        return process

    app.conf.task_always_eager = False  # this process only sends; the worker runs
    yield start
    app.conf.task_always_eager = True
    for process in processes:
        if process.poll() is None:
            kill_worker(process)


def kill_worker(process) -> None:
    """SIGKILL a worker, and the LibreOffice server it started: that one runs in its own
    session (so a hung document can be killed as a group) and would outlive the test."""
    groups = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == process.pid:  # fields[1] is the parent pid
                groups.add(os.getpgid(int(stat.parent.name)))
    process.kill()
    process.wait(10)
    for group in groups - {os.getpgid(0)}:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)


def wait_for(predicate, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def status_of(job_id):
    return GenerationJob.objects.get(pk=job_id)


@pytest.mark.slow
def test_it_finishes_once_after_the_worker_is_killed_mid_job(env, worker):
    from documents.order import Outputs

    order = env.order(outputs=Outputs(formats=["docx"], stamp_variants=[True]))
    env.onec.knobs.latency = 0.4  # slow 1C: the kill lands inside a step
    first = worker()
    job = submit(env, order)
    assert wait_for(lambda: status_of(job.pk).step == "invoice")
    kill_worker(first)  # SIGKILL: no clean-up, the message stays unacknowledged
    env.onec.knobs.latency = 0
    running = status_of(job.pk)
    assert running.status == Status.RUNNING
    # Time passes: the lease of the dead worker runs out; the beat sweeper looks.
    GenerationJob.objects.filter(pk=job.pk).update(locked_until=timezone.now() - timedelta(1))
    worker()
    resume_stale_jobs()  # enqueues through Redis to the new worker
    assert wait_for(lambda: status_of(job.pk).status == Status.DONE)
    one_set_made(env)
    assert AuditEvent.objects.filter(job=job, action="job.resumed").count() == 1


@pytest.mark.slow
def test_it_keeps_jobs_waiting_while_1c_is_down_and_finishes_each_once(env, worker):
    from documents.order import Outputs

    worker()
    env.onec.knobs.down = True
    outputs = Outputs(formats=["docx"], stamp_variants=[True])
    jobs = [submit(env, env.order(outputs=outputs), salt=f"tab-{n}") for n in range(3)]
    assert wait_for(
        lambda: all(status_of(j.pk).status == Status.WAITING_1C for j in jobs), timeout=60
    )
    env.onec.knobs.down = False
    # The backoff has passed (simulated); the countdown messages are also still queued.
    GenerationJob.objects.filter(pk__in=[j.pk for j in jobs]).update(next_attempt_at=timezone.now())
    resume_stale_jobs()
    assert wait_for(lambda: all(status_of(j.pk).status == Status.DONE for j in jobs))
    assert len(env.onec.find(INVOICES)) == 3
    assert len(env.b24.state.deal_documents(DEAL_COMPANY)) == 6
