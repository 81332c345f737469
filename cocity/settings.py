"""Django settings for cocity.

Everything that differs between machines comes from the environment:

``COCITY_ENV``
    ``development`` (default: embedded SQLite, DEBUG on unless ``COCITY_DEBUG=0``) or
    ``production`` (DEBUG off, HTTPS-only cookies, HSTS, ``COCITY_SECRET_KEY`` required).
``DATABASE_URL``
    e.g. ``postgres://user@host:5432/cocity``; default: SQLite in ``COCITY_DATA_DIR``.
``COCITY_DATA_DIR``
    where the embedded database and the generated development secret live (default ``./var``).
``COCITY_SECRET_KEY``, ``COCITY_ALLOWED_HOSTS`` (comma-separated), ``COCITY_DEBUG``.
``COCITY_DB_PREPARED_STATEMENTS``
    ``0`` turns PostgreSQL prepared statements off (for a pooler that cannot keep them).
``COCITY_ANALYSIS_JOBS``
    processes a background analysis may use (default 1; 2 on a worker that owns two cores).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("COCITY_ENV", "development")
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured("COCITY_ENV must be 'development' or 'production'.")
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("COCITY_DATA_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    # A per-installation key kept out of the repository, so a fresh checkout never ships one.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = False if PRODUCTION else _env_bool("COCITY_DEBUG", True)
SECRET_KEY = os.environ.get("COCITY_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set COCITY_SECRET_KEY in the environment (production).")
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "COCITY_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("COCITY_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "django_tasks",
    "django_tasks_db",
    "cocity.core",
    "cocity.territories",
    "cocity.ecosystem",
    "cocity.programme",
    "cocity.dataio",
    "cocity.readiness",
    "cocity.equity",
    "cocity.coproduction",
    "cocity.engagement",
    "cocity.network",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cocity.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "cocity.urls"
WSGI_APPLICATION = "cocity.wsgi.application"
ASGI_APPLICATION = "cocity.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cocity.core.context_processors.territory_context",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'cocity.sqlite3'}"
DATABASES = {"default": dj_database_url.config(default=_default_sqlite, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web process read while a task worker writes; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # Django binds parameters on the client, so no query is prepared; the few hot paths that
    # ask for a server-side binding cursor (a vote) are prepared after 5 runs on a connection,
    # which spares PostgreSQL planning them again (about half its work per vote). Set
    # COCITY_DB_PREPARED_STATEMENTS=0 behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode before 1.21).
    if os.environ.get("COCITY_DB_PREPARED_STATEMENTS", "1") != "0":
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# British English: the dates and numbers European cities expect (d/m/Y); Swedish too.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("COCITY_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads (imports) are read in memory up to this size and rejected beyond it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
COCITY_IMPORT_MAX_BYTES = 10 * 1024 * 1024
# Imports with more rows than this run as a background task with progress.
COCITY_IMPORT_TASK_THRESHOLD = int(os.environ.get("COCITY_IMPORT_TASK_THRESHOLD", "1000"))

# Processes a background analysis may use (the ecosystem analysis runs its path measures and
# communities in a second process with 2 or more). Web requests always use one.
try:
    COCITY_ANALYSIS_JOBS = int(os.environ.get("COCITY_ANALYSIS_JOBS", "1"))
except ValueError:
    COCITY_ANALYSIS_JOBS = 0
if COCITY_ANALYSIS_JOBS < 1:
    raise ImproperlyConfigured("COCITY_ANALYSIS_JOBS must be a whole number, 1 or more.")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("COCITY_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_bool("COCITY_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("COCITY_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Rate limits on public endpoints: (requests, seconds) per client address.
COCITY_RATE_LIMITS = {
    "login": (10, 60),
    "api_anonymous": (120, 60),
    # Consultations (cocity/engagement/ratelimit.py: in-memory buckets, batched shared counts).
    "vote_participant": (120, 60),
    "vote_address": (3000, 60),
    "statement_participant": (5, 600),
    "statement_address": (60, 600),
    "participant_address": (60, 3600),
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cocity_cache",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COCITY_LOG_LEVEL", "WARNING")},
}
