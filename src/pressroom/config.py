"""Every environment setting Pressroom reads, in one place.

Settings are plain environment variables so that one instance is configured the
same way under a shell, systemd or a container. ``docs/configuration.md`` is the
operator's copy of this table; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The reference site's sections, in its order.
DEFAULT_SECTIONS: tuple[str, ...] = (
    "News",
    "Society",
    "World",
    "Politics",
    "Economics",
    "Business",
    "Science",
    "Technology",
    "Culture",
    "Law",
    "Tourism",
)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("PRESSROOM_HOME", "./var", "Folder for the embedded database and other state."),
    Setting(
        "DATABASE_URL",
        "(sqlite:///$PRESSROOM_HOME/pressroom.sqlite3)",
        "Database; postgres://user@host:5432/name for production.",
    ),
    Setting("PRESSROOM_DEBUG", "0", "1 turns on Django's debug mode (never in production)."),
    Setting("PRESSROOM_SECRET_KEY", "(generated into $PRESSROOM_HOME)", "Django secret key."),
    Setting("PRESSROOM_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names served."),
    Setting("PRESSROOM_TIME_ZONE", "Asia/Almaty", "Time zone for dates shown and parsed."),
    Setting(
        "PRESSROOM_SECTIONS",
        ",".join(DEFAULT_SECTIONS),
        "Section order on the home page; unknown sections are appended as they appear.",
    ),
    Setting("PRESSROOM_LOG_LEVEL", "INFO", "Log level of the pressroom loggers."),
    # -- fetching (pressroom.sources.fetch) --
    Setting(
        "PRESSROOM_FETCH_ALLOW_PRIVATE",
        "0",
        "1 allows fetching loopback, private and link-local addresses (tests, intranets).",
    ),
    Setting(
        "PRESSROOM_FETCH_USER_AGENT",
        "(Pressroom/<version> (+https://github.com/pressroom; press release aggregator))",
        "User-Agent sent with every request; robots.txt rules for 'Pressroom' apply.",
    ),
    Setting(
        "PRESSROOM_FETCH_HOST_LIMITS",
        "*=2/2",
        "Per host: at most N requests at once and R requests per second (host=N/R, comma-separated;"
        " * for any other host; R=0 means no rate limit).",
    ),
    Setting("PRESSROOM_FETCH_TIMEOUTS", "10/30/60", "Connect/read/total seconds per request."),
    Setting("PRESSROOM_FETCH_MAX_BYTES", "10000000", "Largest body read; a longer one fails."),
    Setting("PRESSROOM_FETCH_RETRIES", "3", "Retries after a timeout, a 5xx or a 429."),
    Setting("PRESSROOM_FETCH_MAX_REDIRECTS", "5", "Redirects followed per request."),
    Setting(
        "PRESSROOM_FETCH_BREAKER",
        "5/300",
        "Circuit breaker: after N failed requests in a row a host rests for S seconds.",
    ),
    # -- polling and workers (pressroom.sources) --
    Setting(
        "PRESSROOM_POLL_INTERVALS",
        "600/86400",
        "Default shortest/longest seconds between polls of one source (adapts in between).",
    ),
    Setting(
        "PRESSROOM_TASK_STALE_AFTER",
        "60",
        "Seconds without a worker heartbeat after which its running task is run again.",
    ),
    # -- portal (pressroom.web) --
    Setting(
        "PRESSROOM_CACHE_URL",
        "(file cache in $PRESSROOM_HOME/cache)",
        "Shared cache for pages, the content version and login throttling: redis://host:6379/0"
        " for several machines, file:///path, or empty for the file cache.",
    ),
    # -- API (pressroom.web.api) --
    Setting(
        "PRESSROOM_API_RATE_LIMIT",
        "300/60",
        "API requests per client: N/S allows N requests in any S seconds (a sliding window);"
        " 0 means no limit.",
    ),
    Setting(
        "PRESSROOM_API_PROXIES",
        "0",
        "Proxies of ours in front of the API; above 0 the client is read from X-Forwarded-For.",
    ),
)


def env(name: str) -> str:
    """Read one documented setting, falling back to its documented default.

    Unknown names are a programming error, so the table above stays complete.
    A default written in parentheses is a description, not a value: it reads "".
    """
    for setting in SETTINGS:
        if setting.name == name:
            default = "" if setting.default.startswith("(") else setting.default
            return os.environ.get(name, default)
    raise KeyError(f"undocumented setting {name}; add it to pressroom.config.SETTINGS")


def home() -> Path:
    """The state folder, created on first use."""
    path = Path(env("PRESSROOM_HOME")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def flag(name: str) -> bool:
    return env(name).strip().lower() in {"1", "true", "yes", "on"}
