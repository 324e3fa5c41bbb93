"""Settings come from the environment (see ARCHITECTURE.md, "Interfaces fixed by the product").

With nothing set, the app runs on embedded defaults: a SQLite file, a filesystem Celery broker,
a local-memory cache and rate limiter, and secret keys generated once into `.data/`.
"""

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environ.Env().str("DATA_DIR", default=str(BASE_DIR / ".data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _persisted_secret(name: str, factory) -> str:
    """A key generated once per checkout, so a fresh machine needs no set-up.

    Production sets SECRET_KEY / ENCRYPTION_KEY in the environment instead.
    """
    path = DATA_DIR / name
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _persisted_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
# Several keys separated by commas: the first encrypts, all decrypt (key rotation).
ENCRYPTION_KEY = env.str("ENCRYPTION_KEY", default="") or _persisted_secret(
    "encryption_key", _new_fernet_key
)

PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
_public_host = urlsplit(PUBLIC_BASE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[_public_host, "127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL]

B24_CLIENT_ID = env.str("B24_CLIENT_ID", default="")
B24_CLIENT_SECRET = env.str("B24_CLIENT_SECRET", default="")
B24_OAUTH_URL = env.str("B24_OAUTH_URL", default="https://oauth.bitrix.info").rstrip("/")
# Dev/test only: allow http:// and loopback portals (the sandbox). Never in production.
B24_ALLOW_INSECURE_PORTALS = env.bool("B24_ALLOW_INSECURE_PORTALS", default=False)
# The BX24 front-end library the iframe pages load. Bitrix24 serves it from its CDN; the
# sandbox portal serves a small shim speaking the same calls.
B24_JS_URL = env.str("B24_JS_URL", default="https://api.bitrix24.com/api/v1/")
_js = urlsplit(B24_JS_URL)
B24_JS_ORIGIN = f"{_js.scheme}://{_js.netloc}" if _js.netloc else ""
# Bitrix24 leaky bucket per portal (requests/s, burst), shared by all processes through Redis.
B24_RATE_LIMITS = {
    "default": (env.float("B24_RATE", default=2.0), env.int("B24_BURST", default=50)),
    "enterprise": (5.0, 250),
}
B24_MAX_ATTEMPTS = env.int("B24_MAX_ATTEMPTS", default=6)
B24_RETRY_BASE_DELAY = env.float("B24_RETRY_BASE_DELAY", default=1.0)
B24_MAX_OPERATION_WAIT = env.float("B24_MAX_OPERATION_WAIT", default=30.0)
WARM_PDF_CONVERTER = env.bool("WARM_PDF_CONVERTER", default=True)
DADATA_TOKEN = env.str("DADATA_TOKEN", default="")
DADATA_SUGGESTIONS_URL = env.str(
    "DADATA_SUGGESTIONS_URL", default="https://suggestions.dadata.ru/suggestions/api/4_1/rs/"
)
DADATA_TIMEOUT_SECONDS = env.float("DADATA_TIMEOUT_SECONDS", default=5.0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "b24app",
    "onec",
    "wizard",
    "documents",
    "sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Instead of XFrameOptionsMiddleware: iframe pages must be framed by their portal only,
    # every other page by nobody (see b24app/middleware.py).
    "b24app.middleware.FramingPolicyMiddleware",
]

ROOT_URLCONF = "b24app.urls"
WSGI_APPLICATION = "b24app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent web + worker processes on one file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="docs1c"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A broker that needs no server: messages are files shared by web and worker processes.
    _broker_dir = DATA_DIR / "celery-broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
        # Otherwise kombu writes its control exchange into the current directory.
        "control_folder": str(_broker_dir / "control"),
    }

CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Moscow"
CELERY_BEAT_SCHEDULE = {
    "onec-refresh-reference-data": {
        "task": "onec.tasks.refresh_all_reference_data",
        "schedule": crontab(minute="*/30"),
    },
    # Each portal's own payment_poll_minutes is applied inside the task.
    "backsync-poll": {
        "task": "documents.backsync.tasks.poll_all_portals",
        "schedule": crontab(minute="*"),
    },
    # Re-queues generation jobs whose worker died (expired lease) or whose retry time came.
    "documents-resume-stale-jobs": {"task": "documents.tasks.resume_stale_jobs", "schedule": 60.0},
    "backsync-catalog-and-employees": {
        "task": "documents.backsync.tasks.sync_catalog_and_employees_all",
        "schedule": crontab(minute="10,40"),
    },
}
BACKSYNC_LOOKBACK_DAYS = env.int("BACKSYNC_LOOKBACK_DAYS", default=3)

# Document generation: retryable failures (1C down, Bitrix24 limits) are retried with
# exponential backoff and jitter for this long, then the job fails with a clear reason.
GENERATION_RETRY_WINDOW_HOURS = env.float("GENERATION_RETRY_WINDOW_HOURS", default=24)
GENERATION_RETRY_BASE_SECONDS = env.float("GENERATION_RETRY_BASE_SECONDS", default=30)
GENERATION_RETRY_MAX_DELAY_SECONDS = env.float("GENERATION_RETRY_MAX_DELAY_SECONDS", default=1800)
# A worker holds a job for this long per step; a killed worker's job is resumed after it.
GENERATION_LEASE_SECONDS = env.int("GENERATION_LEASE_SECONDS", default=300)
GENERATION_CONVERSION_MAX_ATTEMPTS = env.int("GENERATION_CONVERSION_MAX_ATTEMPTS", default=3)
GENERATION_PDF_TIMEOUT_SECONDS = env.float("GENERATION_PDF_TIMEOUT_SECONDS", default=60)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "media/"

# Bitrix24 posts into an iframe from another site: session/CSRF cookies would be third-party
# there, so iframe views carry identity in a signed header token instead (b24app/tab_session.py).
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Never log request bodies: they carry tokens.
        "django.request": {"level": "ERROR"},
    },
}
