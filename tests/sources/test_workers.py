"""Worker processes on one database: all work done once, a killed worker's task run again.

Runs on SQLite and on PostgreSQL (``DATABASE_URL``); the workers are real
``pressroom worker`` processes fetching from a loopback server in this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django_tasks_db.models import DBTaskResult

from pressroom.sources.models import Source
from pressroom.sources.registry import SourceSpec, add_source
from pressroom.store.models import Article
from tests.conftest import SHARED_DATA, database_url
from tests.sources import govkz_site
from tests.sources.server import RequestHandler

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

GUARDIAN = (SHARED_DATA / "feeds" / "rss-parser__guardian.rss").read_bytes()


@pytest.fixture
def workers() -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> subprocess.Popen[bytes]:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "PRESSROOM_FETCH_ALLOW_PRIVATE": "1",
            "PRESSROOM_FETCH_HOST_LIMITS": "*=2/0",
            **env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "pressroom.cli", "worker", "--interval", "0.2"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _all_polled() -> bool:
    pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    return not pending and not Source.objects.filter(last_polled_at__isnull=True).exists()


def test_two_workers_share_the_sources_and_store_everything_once(server, workers):
    slugs = [f"akimat{i}" for i in range(8)]
    site = govkz_site.build(server, slugs, per_feed=2)
    for slug in slugs:
        add_source(SourceSpec(url=site.entity_url(slug)))
    one, two = workers(), workers()
    _wait(_all_polled, 120, "every source polled")
    assert Article.objects.count() == len(site.stories)
    keys = list(Article.objects.values_list("source_key", flat=True))
    assert len(set(keys)) == len(keys)
    ran = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert ran.count() == len(slugs)
    assert len({r.worker_ids[0] for r in ran}) == 2, "both workers took tasks"
    assert one.poll() is None and two.poll() is None


def test_two_workers_fetching_the_same_items_store_one_article_each(server, workers):
    for i in range(6):  # six sources, one feed: every item is written by several tasks at once
        server.add(f"/copy{i}.xml", GUARDIAN, content_type="application/rss+xml")
        add_source(SourceSpec(url=server.url(f"/copy{i}.xml"), languages="en"))
    workers(), workers()
    _wait(_all_polled, 120, "every source polled")
    assert Article.objects.count() == 55
    assert Article.objects.values("source_key").distinct().count() == 55


def test_a_worker_killed_mid_task_loses_nothing_and_the_task_runs_again(server, workers):
    release, arrived = threading.Event(), threading.Event()

    def hanging(h: RequestHandler) -> None:
        arrived.set()
        release.wait(30)
        h.reply(200, GUARDIAN, "application/rss+xml")

    server.add("/hang.xml", handler=hanging)
    source = add_source(SourceSpec(url=server.url("/hang.xml"), languages="en"))[0]
    first = workers(PRESSROOM_FETCH_TIMEOUTS="60/60/60")
    _wait(lambda: DBTaskResult.objects.filter(status="RUNNING").exists(), 60, "task running")
    _wait(arrived.is_set, 30, "the fetch to start")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    release.set()
    task = DBTaskResult.objects.get()
    assert task.status == "RUNNING" and Article.objects.count() == 0
    workers(PRESSROOM_TASK_STALE_AFTER="2")
    _wait(lambda: DBTaskResult.objects.get(pk=task.pk).status == "SUCCESSFUL", 90, "task re-run")
    task.refresh_from_db()
    assert len(task.worker_ids) == 2 and task.worker_ids[0] != task.worker_ids[1]
    assert Article.objects.count() == 55
    source.refresh_from_db()
    assert source.last_success_at is not None and source.lease_until is None
