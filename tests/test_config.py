"""The operator's page lists every setting the code reads."""

from __future__ import annotations

import re

import pytest

from pressroom import config
from tests.conftest import REPO


def test_every_setting_is_documented():
    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", page, flags=re.M))
    assert documented == {s.name for s in config.SETTINGS}


def test_every_setting_read_in_the_code_is_in_the_table():
    source = "\n".join(p.read_text() for p in (REPO / "src" / "pressroom").rglob("*.py"))
    read = set(re.findall(r'config\.(?:env|flag)\("([A-Z_]+)"\)', source))
    assert read <= {s.name for s in config.SETTINGS}


def test_undocumented_setting_is_refused():
    with pytest.raises(KeyError, match="undocumented"):
        config.env("PRESSROOM_NOPE")


def test_documented_default(monkeypatch):
    monkeypatch.delenv("PRESSROOM_TIME_ZONE", raising=False)
    assert config.env("PRESSROOM_TIME_ZONE") == "Asia/Almaty"
    monkeypatch.setenv("PRESSROOM_TIME_ZONE", "UTC")
    assert config.env("PRESSROOM_TIME_ZONE") == "UTC"


def test_sqlite_connections_get_wal_and_a_64_mib_checkpoint(monkeypatch, tmp_path):
    """The embedded default's pragmas, applied as Django applies them (init_command)."""
    import sqlite3

    from pressroom import settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    db = settings._database()
    connection = sqlite3.connect(db["NAME"])
    connection.executescript(db["OPTIONS"]["init_command"])
    pragma = {
        name: connection.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "wal_autocheckpoint")
    }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "foreign_keys": 1,
        "wal_autocheckpoint": 16384,
    }
