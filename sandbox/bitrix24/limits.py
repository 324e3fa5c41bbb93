"""The portal's request limits and the counters tests read.

Bitrix24 meters REST with a leaky bucket per portal and source IP: every request adds one, the
bucket drains at 2/s (enterprise 5/s) and holds 50 (250); a request that finds it full gets
HTTP 503 QUERY_LIMIT_EXCEEDED. Separately, a method that burned too much server time is blocked
(429 OPERATION_TIME_LIMIT) until `operating_reset_at`.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

LIMITS = {"basic": (2.0, 50), "ent": (5.0, 250)}


@dataclass
class Stats:
    rest_requests: int = 0
    rejected_503: int = 0
    rejected_429: int = 0
    refresh_calls: int = 0
    token_grants: int = 0
    max_bucket_level: float = 0.0
    per_method: Counter = field(default_factory=Counter)
    batch_commands: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "rest_requests": self.rest_requests,
            "rejected_503": self.rejected_503,
            "rejected_429": self.rejected_429,
            "refresh_calls": self.refresh_calls,
            "token_grants": self.token_grants,
            "max_bucket_level": round(self.max_bucket_level, 3),
            "per_method": dict(self.per_method),
            "batch_commands": dict(self.batch_commands),
        }


class LeakyBucket:
    """Thread-safe; one level per key (source IP), all on this one portal."""

    def __init__(self, drain_per_second: float, capacity: int, clock=time.monotonic):
        self.drain = drain_per_second
        self.capacity = capacity
        self.clock = clock
        self._levels: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def level(self, key: str) -> float:
        with self._lock:
            return self._drained(key, self.clock())

    def _drained(self, key, now) -> float:
        level, at = self._levels.get(key, (0.0, now))
        return max(0.0, level - (now - at) * self.drain)

    def admit(self, key: str) -> tuple[bool, float]:
        """Add one drop; False when the bucket is already full (the drop is not added)."""
        with self._lock:
            now = self.clock()
            level = self._drained(key, now)
            if level + 1 > self.capacity:
                self._levels[key] = (level, now)
                return False, level
            level += 1
            self._levels[key] = (level, now)
            return True, level

    def reset(self):
        with self._lock:
            self._levels.clear()


class OperationLimits:
    """Methods blocked by the operating-time limit, until a wall-clock instant."""

    def __init__(self):
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def block(self, method: str, seconds: float):
        with self._lock:
            if seconds <= 0:
                self._blocked_until.pop(method.lower(), None)
            else:
                self._blocked_until[method.lower()] = time.time() + seconds

    def reset_at(self, method: str) -> float | None:
        with self._lock:
            until = self._blocked_until.get(method.lower())
            if until is None or until <= time.time():
                return None
            return until
