"""``pressroom serve``: gunicorn with WhiteNoise, on a loopback port, stopped cleanly."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from pressroom.commands.serve import serve
from tests.conftest import REPO, database_url
from tests.web.conftest import DEMO, ingest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_serve_runs_gunicorn_with_static_files(tmp_path):
    ingest(DEMO)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PRESSROOM_HOME": str(tmp_path),  # its own static files and cache
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "pressroom.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = get(port, "/en/")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert page.status == 200
        assert page.getheader("Server", "").startswith("gunicorn")
        assert b"Slovenia&#x27;s global pharmaceutical leaders" in page.body  # type: ignore[attr-defined]
        css = get(port, "/static/portal/site.css")
        assert css.status == 200 and css.getheader("Content-Type", "").startswith("text/css")
        assert "max-age=" in css.getheader("Cache-Control", "")
        compressed = get(port, "/static/portal/site.css", {"Accept-Encoding": "gzip"})
        assert compressed.getheader("Content-Encoding") == "gzip"  # collected and compressed
        again = get(port, "/en/", {"If-None-Match": page.getheader("ETag", "")})
        assert again.status == 304
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode == 0


def test_serve_refuses_zero_workers(capsys):
    assert serve("127.0.0.1", free_port(), workers=0) == 2
    assert "--workers" in capsys.readouterr().err
