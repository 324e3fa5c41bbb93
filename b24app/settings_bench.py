"""Benchmarks run the production settings against real services where the environment gives
them (DATABASE_URL, REDIS_URL), with the sandboxes allowed as portals."""

import os

os.environ.setdefault("B24_ALLOW_INSECURE_PORTALS", "1")
os.environ.setdefault("B24_CLIENT_ID", "local.bench")
os.environ.setdefault("B24_CLIENT_SECRET", "bench-secret")

from .settings import *  # noqa: F403

LOGGING["root"]["level"] = "WARNING"  # noqa: F405
