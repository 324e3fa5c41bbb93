"""Wizard: server time per step (GET and a valid POST) with the reference cache warm.

Runs Django's test Client against the bench's throwaway database; target p95 ≤ 50 ms.
The Bitrix24 requests made when opening the tab are counted by the deal-tab part (one `batch`
call); the wizard itself makes none, which this bench checks by forbidding the client.
"""

import statistics
import time
from unittest import mock

ROUNDS = 30


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run() -> list[str]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from b24app import tab_session
    from b24app.models import Portal
    from tests.fixtures.wizard import build_world, deal_context
    from tests.wizard.helpers import client_post, goods_post, terms_post
    from wizard.services import draft_open

    setup_test_environment()
    portal = Portal.objects.create(
        member_id="bench-wizard",
        domain="bench.example.test",
        client_endpoint="https://bench.example.test/rest/",
    )
    world = build_world(portal)
    context = deal_context("1")
    user = world.users["2"]
    draft = draft_open(portal=portal, user=user, context=context)
    token = tab_session.issue(
        tab_session.TabSession(portal.pk, user.user_id, "1", "ru", "CRM_DEAL_DETAIL_TAB")
    )
    client = Client(HTTP_X_TAB_TOKEN=token, HTTP_HX_REQUEST="true")
    posts = {
        "client": lambda: client_post(world, context.client),
        "contract": lambda: {"choice": f"t:{world.template.pk}"},
        "terms": terms_post,
        "goods": lambda: goods_post(_fresh(draft), action="recalc"),
        "review": None,
    }
    timings: dict[str, list[float]] = {step: [] for step in posts}
    b24_calls = 0

    def forbidden(*args, **kwargs):
        nonlocal b24_calls
        b24_calls += 1
        raise AssertionError("the wizard called Bitrix24")

    with mock.patch("wizard.services.client_for", forbidden):
        for _ in range(ROUNDS):
            for step, make in posts.items():
                started = time.perf_counter()
                client.get(f"/wizard/1/{step}/")
                if make is not None:
                    client.post(f"/wizard/1/{step}/", make())
                timings[step].append((time.perf_counter() - started) * 1000)
    lines = []
    for step, values in timings.items():
        what = "GET" if posts[step] is None else "GET+POST"
        lines.append(
            f"step {step:<8} {what:<8} p50 {statistics.median(values):6.1f} ms  "
            f"p95 {_percentile(values, 0.95):6.1f} ms  (target p95 ≤ 50 ms, n={len(values)})"
        )
    lines.append(f"Bitrix24 requests made by the wizard's steps: {b24_calls}")
    lines.append(_tab_open_requests())
    return lines


def _tab_open_requests() -> str:
    """Install into an in-process portal sandbox, then open a deal tab the way Bitrix24 posts
    it, and count the REST requests the portal saw for that one open."""
    from urllib.parse import urlencode

    from django.conf import settings
    from django.test import Client, override_settings

    from sandbox.bitrix24 import create_app
    from sandbox.server import SandboxServer

    sb = create_app(client_id=settings.B24_CLIENT_ID, client_secret=settings.B24_CLIENT_SECRET)
    server = SandboxServer(sb).start()
    sb.bind(server.url)
    client = Client()

    def post(path, query, form):
        return client.post(
            f"{path}?{urlencode(query)}",
            data=urlencode(form),
            content_type="application/x-www-form-urlencoded",
        )

    try:
        with override_settings(B24_OAUTH_URL=sb.url, CELERY_TASK_ALWAYS_EAGER=True):
            post("/b24/install/", *sb.install_post("1"))
            post("/b24/deal-tab/", *sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "1"}))
            sb.reset_stats()
            post("/b24/deal-tab/", *sb.placement_post("2", "CRM_DEAL_DETAIL_TAB", {"ID": "2"}))
            opened = sb.stats.rest_requests
    finally:
        server.stop()
    return f"Bitrix24 HTTP requests to open the deal tab: {opened} (target 1)"


def _fresh(draft):
    draft.refresh_from_db()
    return draft
