"""Shared fixtures: where the real data lives, a database URL for subprocesses, the CLI."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
REFERENCE_PAGE = SHARED_DATA / "listing" / "000_7fb826408a7a0a54.txt"
REAL_PAGES = sorted((SHARED_DATA / "listing" / "real").glob("*.txt"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"test data not found at {SHARED_DATA} (set PRESSROOM_SHARED_DATA)")
    return SHARED_DATA


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def jsonl(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def cli(transactional_db: None) -> Callable[..., CliResult]:
    """Run ``pressroom`` in this process against the test database."""
    from pressroom.cli import main

    def run(*args: str, stdin: bytes | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        if stdin is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = main(list(args))
        finally:
            sys.stdin = old_stdin
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


def database_url() -> str:
    """The test database as a URL, for ``pressroom`` run in a subprocess."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# Runs the CLI and prints its own peak RSS last on stderr ("MAXRSS_KIB n").
_CLI_WITH_RSS = (
    "import resource, sys\n"
    "from pressroom.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('MAXRSS_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def peak_rss_kib(stderr: bytes) -> int:
    last = stderr.decode().strip().splitlines()[-1]
    assert last.startswith("MAXRSS_KIB"), stderr.decode()
    return int(last.split()[1])


@pytest.fixture
def subprocess_cli(transactional_db: None) -> Callable[..., subprocess.Popen[bytes]]:
    """Start ``pressroom`` as a separate process on the test database.

    Its stderr ends with a line ``MAXRSS_KIB n`` (see ``peak_rss_kib``).
    """
    env = {**os.environ, "DATABASE_URL": database_url()}

    def start(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-c", _CLI_WITH_RSS, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **kwargs,
        )

    return start


def export_rows() -> list[dict[str, Any]]:
    from pressroom.store.export import article_rows

    return list(article_rows())
