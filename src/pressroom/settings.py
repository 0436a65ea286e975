"""Django settings, all derived from the environment (see ``pressroom.config``)."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from pressroom import config
from pressroom.web import cache_config

BASE_DIR = Path(__file__).resolve().parent
HOME = config.home()
# SQLite: pages of WAL between automatic checkpoints (SQLite's default is 1,000).
WAL_CHECKPOINT_PAGES = 16384


def _secret_key() -> str:
    """Use the configured key, else one generated once and kept in PRESSROOM_HOME."""
    configured = config.env("PRESSROOM_SECRET_KEY")
    if configured:
        return configured
    key_file = HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = config.flag("PRESSROOM_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in config.env("PRESSROOM_ALLOWED_HOSTS").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "pressroom.store",
    "django_tasks",
    "django_tasks_db",
    "pressroom.sources",
    "pressroom.web",
    "ninja",  # the API docs page's scripts and styles come from its static files (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pressroom.web.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pressroom.web.cache.PageCacheMiddleware",  # before sessions: a hit touches no database
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pressroom.urls"
WSGI_APPLICATION = "pressroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = config.env("DATABASE_URL") or f"sqlite:///{HOME / 'pressroom.sqlite3'}"
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write
        # lock at BEGIN so that read-then-write transactions never deadlock.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            # A checkpoint every 64 MiB of WAL instead of SQLite's 4 MiB: the pages a bulk
            # write touches again and again (index roots, FTS5's structure) are copied
            # into the database once per checkpoint, not dozens of times (ingest -8 % CPU,
            # docs/benchmarks.md).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; "
                f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES};"
            ),
        }
        db["CONN_MAX_AGE"] = 0
        db.setdefault("TEST", {})["NAME"] = str(HOME / "test-pressroom.sqlite3")
    else:
        # One test database per checkout (state folder), so two checkouts can test at once.
        suffix = hashlib.blake2b(str(HOME).encode(), digest_size=4).hexdigest()
        db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_{suffix}"
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = config.env("PRESSROOM_TIME_ZONE")

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# `pressroom serve` collects (and compresses) static files into STATIC_ROOT; WhiteNoise
# serves them. Without collected files (tests, a fresh checkout) it serves the app folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not (STATIC_ROOT / "portal").is_dir()
WHITENOISE_MAX_AGE = 24 * 3600  # portal assets carry a content hash in their query string
FORMAT_MODULE_PATH = ["pressroom.web.formats"]

CACHES = cache_config.caches(config.env("PRESSROOM_CACHE_URL"), HOME)

CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

PRESSROOM_SECTIONS = [s.strip() for s in config.env("PRESSROOM_SECTIONS").split(",") if s.strip()]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "pressroom": {"handlers": ["stderr"], "level": config.env("PRESSROOM_LOG_LEVEL")},
    },
}

# Background work (crawling, re-checking) runs as tasks in the database: one queue
# on SQLite and PostgreSQL alike (django-tasks-db; see docs/sources.md).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "crawl", "recheck"],
    }
}
