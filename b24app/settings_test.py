"""Settings for the test suite: the production settings plus what only tests may do."""

import os

os.environ.setdefault("B24_ALLOW_INSECURE_PORTALS", "1")
os.environ.setdefault("B24_CLIENT_ID", "local.test")
os.environ.setdefault("B24_CLIENT_SECRET", "test-secret")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = DATA_DIR / "test-media"  # noqa: F405
