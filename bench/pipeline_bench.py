"""Generation pipeline, end to end: a real Celery worker (prefork, 2 processes), Redis and
PostgreSQL, against both sandboxes served from this process.

Prints latency p50/p95 of one document set (submit → done, default outputs: contract + invoice,
DOCX + PDF, with stamp), throughput for 100 sets submitted at once, Bitrix24 and 1C HTTP
requests per set, PDF conversion time per document, and peak RSS of web and worker.
Targets: p95 ≤ 3 s, ≥ 30 sets/min, ≤ 4 Bitrix24 requests per set.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LATENCY_SETS = 20
THROUGHPUT_SETS = 100
WORKER_PROCESSES = 2


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process, in MB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _is_converter(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"unoserver" in cmdline or b"soffice" in cmdline


def _descendants(pid: int) -> list[int]:
    """The worker's processes and theirs: pool children, unoserver and LibreOffice (they run in
    their own sessions, but are still children of the worker process that started them)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(_children(current))
    return found


def _setup():
    """Both sandboxes, the app installed into the portal and configured like `make demo`."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from b24app.client import limiter
    from b24app.models import Portal, PortalUser
    from sandbox.bitrix24 import create_app as b24_app
    from sandbox.demo_setup import configure, connect_onec
    from sandbox.onec import create_app as onec_app
    from sandbox.server import SandboxServer

    setup_test_environment()
    b24 = b24_app(client_id=settings.B24_CLIENT_ID, client_secret=settings.B24_CLIENT_SECRET)
    b24_server = SandboxServer(b24).start()
    b24.bind(b24_server.url)
    onec = onec_app(profile="bp30", seed=True)
    onec_server = SandboxServer(onec).start()
    onec.url = f"{onec_server.url}/demo/"
    settings.B24_OAUTH_URL = b24.oauth_url
    settings.PUBLIC_BASE_URL = "http://testserver"
    limiter.reset(b24.member_id)
    client = Client()
    query, form = b24.install_post("1")
    from urllib.parse import urlencode

    client.post(
        f"/b24/install/?{urlencode(query)}",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    client.post(
        "/b24/events/",
        data=urlencode(b24.event_form("ONAPPINSTALL")),
        content_type="application/x-www-form-urlencoded",
    )
    portal = Portal.objects.get(member_id=b24.member_id)
    connect_onec(portal, onec_url=onec.url)
    configure(portal)
    manager = PortalUser.objects.get(portal=portal, user_id=1)
    return b24, onec, portal, manager, (b24_server, onec_server)


def _start_worker():
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "b24app.settings_bench",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "B24_OAUTH_URL": settings.B24_OAUTH_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    if db.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(
            f"//{db['USER']}@", f"//{db['USER']}:{db['PASSWORD']}@"
        )
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "b24app", "worker",
            "-c", str(WORKER_PROCESSES), "--without-mingle", "--without-gossip", "-l", "WARNING",
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_done(job_ids: list[int], timeout: float) -> bool:
    from documents.models import GenerationJob

    final = (GenerationJob.Status.DONE, GenerationJob.Status.FAILED)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = GenerationJob.objects.filter(pk__in=job_ids).exclude(status__in=final).count()
        if left == 0:
            return True
        time.sleep(0.05)
    return False


def run() -> list[str]:
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        return [
            "skipped: needs DATABASE_URL (PostgreSQL) and REDIS_URL, a worker shares both "
            "(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/docs1c "
            "REDIS_URL=redis://127.0.0.1:6379/0 make bench)"
        ]
    import redis

    from documents.jobs import job_submit
    from documents.models import GenerationJob
    from tests.documents.pipeline_support import Env, build_order

    redis.Redis.from_url(settings.REDIS_URL).delete("celery")  # leftovers of an aborted run
    b24, onec, portal, manager, servers = _setup()
    env = Env(b24, onec, portal, manager)
    order = build_order(env, env.context("1"))
    worker = _start_worker()
    lines = []
    try:
        # Warm-up: the worker's processes start their LibreOffice on the first contract.
        warm = [job_submit(order=order, user=manager, salt=f"warm-{n}") for n in range(4)]
        if not _wait_done([j.pk for j in warm], timeout=180):
            return ["the worker did not finish the warm-up sets in 180 s"]

        b24.reset_stats()
        onec.reset_stats()
        latencies, done_ids = [], []
        for n in range(LATENCY_SETS):
            job = job_submit(order=order, user=manager, salt=f"latency-{n}")
            _wait_done([job.pk], timeout=60)
            job.refresh_from_db()
            latencies.append((job.finished_at - job.created_at).total_seconds())
            done_ids.append(job.pk)
        b24_per_set = b24.stats.rest_requests / LATENCY_SETS
        onec_per_set = onec.stats["total"] / LATENCY_SETS
        lines.append(
            f"latency of one set ({LATENCY_SETS} sets one after another): "
            f"p50 {statistics.median(latencies):.2f} s, p95 {_percentile(latencies, 0.95):.2f} s "
            "(target p95 ≤ 3 s)"
        )
        lines.append(f"Bitrix24 HTTP requests per set: {b24_per_set:.1f} (target ≤ 4)")
        lines.append(f"1C HTTP requests per set: {onec_per_set:.1f}")

        started = time.monotonic()
        batch = [
            job_submit(order=order, user=manager, salt=f"throughput-{n}")
            for n in range(THROUGHPUT_SETS)
        ]
        finished = _wait_done([j.pk for j in batch], timeout=900)
        elapsed = time.monotonic() - started
        jobs = GenerationJob.objects.filter(pk__in=[j.pk for j in batch])
        done = jobs.filter(status=GenerationJob.Status.DONE).count()
        lines.append(
            f"throughput: {THROUGHPUT_SETS} sets submitted at once, {done} done in {elapsed:.1f} s "
            f"= {done / elapsed * 60:.1f} sets/min with {WORKER_PROCESSES} worker processes "
            f"(target ≥ 30){'' if finished else ' — TIMED OUT'}"
        )
        pdf_ms = [
            ms
            for results in GenerationJob.objects.filter(pk__in=done_ids).values_list(
                "results", flat=True
            )
            for ms in (results.get("contract_render") or {}).get("pdf_ms", [])
        ]
        if pdf_ms:
            lines.append(
                f"PDF conversion per contract: p50 {statistics.median(pdf_ms):.0f} ms, "
                f"p95 {_percentile(pdf_ms, 0.95):.0f} ms (warm LibreOffice)"
            )
        tree = _descendants(worker.pid)
        office = {p for p in tree if _is_converter(p)}
        worker_pids = [p for p in tree if p not in office]
        worker_rss = sum(_peak_rss_mb(pid) for pid in worker_pids)
        office_rss = sum(_peak_rss_mb(pid) for pid in office)
        lines.append(
            f"peak RSS: web (this process: submits + sandboxes) {_peak_rss_mb(os.getpid()):.0f} MB;"
            f" worker {worker_rss:.0f} MB in {len(worker_pids)} processes"
            f" + LibreOffice {office_rss:.0f} MB"
        )
    finally:
        worker.terminate()  # warm shutdown: each pool process stops its LibreOffice
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
        for server in servers:
            server.stop()
    return lines
