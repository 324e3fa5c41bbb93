"""The shared leaky bucket that keeps us under Bitrix24's 503 QUERY_LIMIT_EXCEEDED."""

import pytest
from django.conf import settings
from django.test import override_settings

from b24app.client import limiter
from b24app.models import Portal


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_it_admits_a_burst_then_makes_callers_wait_at_the_drain_rate():
    clock = FakeClock()
    bucket = limiter.LocalBucket(clock)
    admitted = sum(bucket.try_acquire("p", 2.0, 10) == 0 for _ in range(10))
    assert admitted == 10
    wait = bucket.try_acquire("p", 2.0, 10)
    assert wait == pytest.approx(0.5)
    clock.now += wait
    assert bucket.try_acquire("p", 2.0, 10) == 0


def test_it_keeps_portals_apart():
    bucket = limiter.LocalBucket(FakeClock())
    for _ in range(3):
        bucket.try_acquire("a", 1.0, 3)
    assert bucket.try_acquire("a", 1.0, 3) > 0
    assert bucket.try_acquire("b", 1.0, 3) == 0


def test_it_uses_the_enterprise_limits_for_enterprise_licences():
    basic = Portal(member_id="x", license_family="")
    ent = Portal(member_id="y", license_family="ent")
    with override_settings(B24_RATE_LIMITS={}):
        assert limiter.limits_for(basic) == (2.0, 45)
        assert limiter.limits_for(ent) == (5.0, 225)


def test_it_sleeps_until_admitted(monkeypatch):
    clock = FakeClock()
    bucket = limiter.LocalBucket(clock)
    monkeypatch.setattr(limiter, "bucket", lambda: bucket)
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock.now += seconds

    portal = Portal(member_id="sleepy-portal", license_family="")
    with override_settings(B24_RATE_LIMITS={"default": (4.0, 2)}):
        waited = [limiter.acquire(portal, sleep=sleep) for _ in range(3)]
    # Capacity 2 minus headroom leaves 1: the 2nd and 3rd wait a quarter second each.
    assert waited == [0.0, pytest.approx(0.25), pytest.approx(0.25)]


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
def test_it_shares_the_bucket_through_redis():
    import uuid

    bucket = limiter.RedisBucket(settings.REDIS_URL)
    key = f"b24:test:{uuid.uuid4()}"
    other_process_view = limiter.RedisBucket(settings.REDIS_URL)
    assert all(bucket.try_acquire(key, 1.0, 5) == 0 for _ in range(5))
    assert other_process_view.try_acquire(key, 1.0, 5) > 0


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
def test_it_reports_a_token_refresh_stuck_in_another_process_as_retryable(monkeypatch):
    import uuid

    from b24app.client import B24TransportError, tokens

    key = f"test:{uuid.uuid4()}"
    monkeypatch.setattr(tokens, "LOCK_TIMEOUT", 0.2)
    other_process = limiter.bucket()._redis.lock(f"b24:lock:{key}", timeout=5)
    assert other_process.acquire()
    try:
        with pytest.raises(B24TransportError) as busy, tokens.refresh_lock(key):
            pass
        assert busy.value.retryable and busy.value.code == "refresh_busy"
    finally:
        other_process.release()
    with tokens.refresh_lock(key):  # free again once the other process is done
        pass
