"""The Bitrix24 client against the sandbox portal over HTTP: refresh, limits, moves, errors."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from b24app.client import B24RateLimited, B24ReauthRequired, client_for
from b24app.models import Portal, PortalUser
from sandbox.bitrix24.limits import LeakyBucket
from sandbox.server import SandboxServer


def _admin_client(sb):
    portal = Portal.objects.get(member_id=sb.member_id)
    return client_for(portal, PortalUser.objects.get(portal=portal, user_id=1))


def test_it_calls_methods_and_counts_requests(b24_installed):
    client = _admin_client(b24_installed)
    deal = client.call("crm.deal.get", {"id": 1})
    assert deal["TITLE"] == "Мебель для офиса Вектор"
    assert client.request_count == 1


def test_it_splits_batches_above_fifty_commands(b24_installed):
    sb = b24_installed
    client = _admin_client(sb)
    sb.reset_stats()
    cmds = {f"d{i}": ("crm.deal.get", {"id": 1 + i % 6}) for i in range(120)}
    results, errors = client.batch(cmds)
    assert len(results) == 120 and not errors
    assert results["d7"]["ID"] == "2"
    assert sb.stats.rest_requests == 3 == client.request_count


def test_it_lists_every_page(b24_installed):
    users = _admin_client(b24_installed).list_all("user.get")
    assert len(users) == len(b24_installed.state.users)


@pytest.mark.django_db(transaction=True)
def test_it_refreshes_once_when_ten_workers_hit_an_expired_token(b24_installed):
    sb = b24_installed
    portal = Portal.objects.get(member_id=sb.member_id)
    admin_pk = PortalUser.objects.get(portal=portal, user_id=1).pk
    sb.expire_access_tokens()
    sb.reset_stats()
    barrier = threading.Barrier(10)

    def worker(_):
        try:
            client = client_for(
                Portal.objects.get(pk=portal.pk), PortalUser.objects.get(pk=admin_pk)
            )
            barrier.wait(timeout=30)
            return client.call("user.current")["ID"]
        finally:
            connection.close()

    with ThreadPoolExecutor(10) as pool:
        ids = list(pool.map(worker, range(10)))
    assert ids == ["1"] * 10
    assert sb.stats.refresh_calls == 1
    stored = PortalUser.objects.get(pk=admin_pk)
    assert _admin_client(sb).call("user.current")["ID"] == "1"
    assert stored.refresh_token


def test_it_keeps_a_burst_under_the_portal_limit(b24_installed, settings):
    sb = b24_installed
    # Short limits on both sides so the burst drains in seconds (production: 2/s, 50).
    sb.bucket = LeakyBucket(50.0, 10)
    settings.B24_RATE_LIMITS = {"default": (50.0, 10)}
    client = _admin_client(sb)
    sb.reset_stats()

    def call(_):
        try:
            return client.call("app.info")["LICENSE_FAMILY"]
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(call, range(200)))
    assert answers == ["basic"] * 200
    assert sb.stats.rejected_503 == 0
    assert sb.stats.max_bucket_level <= 10


def test_it_waits_out_an_operation_time_limit(b24_installed):
    sb = b24_installed
    client = _admin_client(sb)
    sb.reset_stats()
    sb.set_operation_time_limit("crm.deal.get", 1.2)
    assert client.call("crm.deal.get", {"id": 1})["ID"] == "1"
    assert sb.stats.rejected_429 >= 1


def test_it_reports_a_long_operation_limit_as_retryable(b24_installed, settings):
    settings.B24_MAX_OPERATION_WAIT = 5
    b24_installed.set_operation_time_limit("crm.deal.get", 120)
    with pytest.raises(B24RateLimited) as exc:
        _admin_client(b24_installed).call("crm.deal.get", {"id": 1})
    assert exc.value.retryable and exc.value.retry_after > 5


def test_it_follows_a_domain_move_without_losing_the_post(b24_installed):
    sb = b24_installed
    second = SandboxServer(sb).start()
    try:
        old_endpoint = sb.client_endpoint
        sb.move_domain(second.url)
        sb.reset_stats()
        client = _admin_client(sb)
        deal = client.call("crm.deal.get", {"id": 2})
        assert deal["ID"] == "2"  # the POST body reached the new host intact
        portal = Portal.objects.get(member_id=sb.member_id)
        assert portal.client_endpoint == sb.client_endpoint != old_endpoint
        assert sb.stats.refresh_calls == 1
        assert sb.stats.per_method["crm.deal.get"] == 1
    finally:
        second.stop()


def test_it_asks_for_reauth_when_the_refresh_token_is_refused(
    b24_installed, b24_open_tab, django_capture_on_commit_callbacks
):
    sb = b24_installed
    b24_open_tab(user_id="2", deal_id="1")  # the manager has tokens too
    portal = Portal.objects.get(member_id=sb.member_id)
    admin = PortalUser.objects.get(portal=portal, user_id=1)
    PortalUser.objects.filter(pk=admin.pk).update(refresh_token="revoked-refresh-token")
    sb.expire_access_tokens()
    fresh = sb.issue_tokens("2")
    PortalUser.objects.filter(portal=portal, user_id=2).update(
        access_token=fresh["access_token"], refresh_token=fresh["refresh_token"]
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(B24ReauthRequired):
        _admin_client(sb).call("user.current")
    assert Portal.objects.get(pk=portal.pk).status == Portal.Status.NEEDS_REAUTH
    told = [n for n in sb.state.notifications if n["user_id"] == "1"]
    assert told and told[0]["from_user_id"] == "2"
