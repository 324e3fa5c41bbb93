"""Per-portal leaky bucket in front of every Bitrix24 request.

Bitrix24 counts requests per portal in a bucket that drains at 2 req/s and holds 50 (enterprise:
5 req/s, 250); past that it answers 503 QUERY_LIMIT_EXCEEDED. All our web and worker processes
share the portal's bucket, so with REDIS_URL the bucket lives in Redis (one Lua script: read,
drain, admit, write, atomically, using Redis' clock so process clocks don't matter). Without
Redis (dev, SQLite) one process is all there is and a local bucket does.
"""

import threading
import time
from functools import lru_cache

from django.conf import settings

# (drain rate per second, capacity). Override with settings.B24_RATE_LIMITS (tests shorten it).
DEFAULT_LIMITS = {"default": (2.0, 50), "enterprise": (5.0, 250)}

# Returns 0 when admitted, otherwise milliseconds to wait before asking again.
_LUA = """
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', key, 'level', 'ts')
local level = tonumber(state[1]) or 0
local ts = tonumber(state[2]) or now
level = math.max(0, level - (now - ts) * rate)
if level + 1 <= capacity then
  level = level + 1
  redis.call('HSET', key, 'level', tostring(level), 'ts', tostring(now))
  redis.call('EXPIRE', key, math.ceil(capacity / rate) + 60)
  return 0
end
redis.call('HSET', key, 'level', tostring(level), 'ts', tostring(now))
return math.ceil((level + 1 - capacity) / rate * 1000)
"""


def limits_for(portal) -> tuple[float, int]:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "B24_RATE_LIMITS", {})}
    rate, capacity = limits["enterprise" if portal.is_enterprise else "default"]
    # Keep a little headroom: requests admitted here reach the portal slightly bunched up
    # (network jitter), and other apps' calls are not ours to see.
    headroom = max(1, int(capacity) // 10)
    return float(rate), max(1, int(capacity) - headroom)


class LocalBucket:
    def __init__(self, clock=time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self._state: dict[str, tuple[float, float]] = {}

    def try_acquire(self, key: str, rate: float, capacity: int) -> float:
        with self._lock:
            now = self._clock()
            level, ts = self._state.get(key, (0.0, now))
            level = max(0.0, level - (now - ts) * rate)
            if level + 1 <= capacity:
                self._state[key] = (level + 1, now)
                return 0.0
            self._state[key] = (level, now)
            return (level + 1 - capacity) / rate


class RedisBucket:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url)
        self._script = self._redis.register_script(_LUA)

    def try_acquire(self, key: str, rate: float, capacity: int) -> float:
        wait_ms = self._script(keys=[key], args=[rate, capacity])
        return int(wait_ms) / 1000.0


@lru_cache(maxsize=4)
def _bucket(redis_url: str):
    return RedisBucket(redis_url) if redis_url else LocalBucket()


def bucket():
    return _bucket(getattr(settings, "REDIS_URL", "") or "")


def acquire(portal, *, sleep=time.sleep) -> float:
    """Block until the portal's bucket admits one request; returns the seconds waited."""
    rate, capacity = limits_for(portal)
    key = f"b24:bucket:{portal.member_id}"
    waited = 0.0
    while True:
        wait = bucket().try_acquire(key, rate, capacity)
        if wait <= 0:
            return waited
        sleep(wait)
        waited += wait


def reset(member_id: str) -> None:
    """Forget a portal's bucket (tests: a fresh sandbox portal reuses its member_id)."""
    b = bucket()
    key = f"b24:bucket:{member_id}"
    if isinstance(b, RedisBucket):
        b._redis.delete(key)
    else:
        with b._lock:
            b._state.pop(key, None)
