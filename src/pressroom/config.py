"""Every environment setting Pressroom reads, in one place.

Settings are plain environment variables so that one instance is configured the
same way under a shell, systemd or a container. ``docs/configuration.md`` is the
operator's copy of this table; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


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
        "News,Society,World,Politics,Economics,Business,Science,Technology,Culture,Law,Tourism",
        "Section order on the home page; unknown sections are appended as they appear.",
    ),
    Setting("PRESSROOM_LOG_LEVEL", "INFO", "Log level of the pressroom loggers."),
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
