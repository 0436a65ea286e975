"""``pressroom run``: the site and the background work in one process; and the admin view."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from django.utils import timezone

from pressroom.sources.models import Source
from pressroom.sources.registry import SourceSpec, add_source
from pressroom.store.models import Article
from tests.conftest import SHARED_DATA, database_url

GUARDIAN = (SHARED_DATA / "feeds" / "rss-parser__guardian.rss").read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_run_serves_the_site_and_polls_sources_in_the_same_process(server):
    server.add("/feed.xml", GUARDIAN, content_type="application/rss+xml")
    add_source(SourceSpec(url=server.url("/feed.xml"), languages="en"))
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "PRESSROOM_FETCH_ALLOW_PRIVATE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom.cli", "run", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and (status is None or Article.objects.count() < 55):
            with contextlib.suppress(httpx.TransportError):
                status = httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code
            time.sleep(0.5)
        assert status in (200, 301, 302)
        assert Article.objects.count() == 55
        source = Source.objects.get()
        assert source.last_success_at is not None and source.next_poll_at > timezone.now()
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode(errors="replace")
    assert process.returncode == 0, output
    assert "background work" in output


@pytest.mark.django_db
def test_admin_shows_source_health(admin_client):
    Source.objects.create(
        url="https://example.org/down.xml",
        consecutive_failures=3,
        last_error="HTTP 500 from the server",
        last_polled_at=timezone.now(),
    )
    page = admin_client.get("/admin/sources/source/").content.decode()
    assert "failing: HTTP 500 from the server" in page
