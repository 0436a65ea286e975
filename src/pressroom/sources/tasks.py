"""Background work as tasks on the database queue (django-tasks, django-tasks-db backend).

- ``poll_source(id)`` polls one source; ``recheck_batch(ids)`` re-checks articles.
- ``schedule_due()`` enqueues what is due. It takes the source's (or re-check's)
  lease and inserts the task row in one transaction, so a due source is queued
  exactly once however many workers run the scheduler, and a crash between the
  two leaves neither.
- ``recover_stalled()`` puts back to READY every task left RUNNING by a worker
  whose heartbeat stopped (killed, out of memory, machine gone): django-tasks-db
  itself leaves such a task RUNNING forever (its issue #46). A task runs at most
  ``MAX_ATTEMPTS`` times.

Tasks are safe to run twice: polling is idempotent (sighting keys), and two
workers writing the same item are serialised by the writer's locks and unique
keys, so a retried task never stores an article twice.
"""

from __future__ import annotations

import atexit
import logging
import threading
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from pressroom import config
from pressroom.sources.crawl import LEASE as SOURCE_LEASE
from pressroom.sources.crawl import Crawler
from pressroom.sources.fetch.client import FetchSession
from pressroom.sources.models import Recheck, Source, WorkerHeartbeat
from pressroom.sources.recheck import LEASE as RECHECK_LEASE
from pressroom.sources.recheck import recheck

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RECHECK_BATCH = 20
_session: FetchSession | None = None
_session_lock = threading.Lock()


def shared_session() -> FetchSession:
    """One fetch session per worker process: host limits and robots.txt are shared by its tasks."""
    global _session
    with _session_lock:
        if _session is None:
            _session = FetchSession().__enter__()
            atexit.register(_session.__exit__, None, None, None)
        return _session


@task(queue_name="crawl")
def poll_source(source_id: int) -> dict[str, Any]:
    source = Source.objects.select_related("publisher").filter(id=source_id).first()
    if source is None or not source.enabled:
        return {"skipped": source_id}
    report = Crawler(shared_session()).poll([source])
    return {"source": source_id, "outcomes": dict(report.outcomes), "failed": report.failed}


@task(queue_name="recheck")
def recheck_batch(recheck_ids: list[int]) -> dict[str, int]:
    rows = list(
        Recheck.objects.filter(id__in=recheck_ids, done=False).select_related(
            "article", "article__publisher"
        )
    )
    return dict(recheck(rows, shared_session()))


def schedule_due(limit: int = 500) -> tuple[int, int]:
    """Queue due polls and re-checks; returns how many of each were queued."""
    now = timezone.now()
    polls = 0
    due = (
        Source.objects.filter(enabled=True, next_poll_at__lte=now)
        .filter(_free(now))
        .order_by("next_poll_at")
    )
    for source_id in due.values_list("id", flat=True)[:limit]:
        with transaction.atomic():
            if (
                Source.objects.filter(pk=source_id)
                .filter(_free(now))
                .update(lease_until=now + SOURCE_LEASE)
            ):
                poll_source.enqueue(source_id)
                polls += 1
    rechecks = 0
    ids = list(
        Recheck.objects.filter(done=False, next_at__lte=now)
        .filter(_free(now))
        .order_by("next_at")
        .values_list("id", flat=True)[:limit]
    )
    for start in range(0, len(ids), RECHECK_BATCH):
        with transaction.atomic():
            batch = ids[start : start + RECHECK_BATCH]
            claimed = [
                i
                for i in batch
                if Recheck.objects.filter(pk=i)
                .filter(_free(now))
                .update(lease_until=now + RECHECK_LEASE)
            ]
            if claimed:
                recheck_batch.enqueue(claimed)
                rechecks += len(claimed)
    return polls, rechecks


def _free(now: Any) -> Any:
    from django.db.models import Q

    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def stale_after() -> timedelta:
    return timedelta(seconds=float(config.env("PRESSROOM_TASK_STALE_AFTER")))


def recover_stalled() -> int:
    """Run again the tasks whose worker died mid-task; returns how many were put back."""
    now = timezone.now()
    cutoff = now - stale_after()
    live = set(
        WorkerHeartbeat.objects.filter(last_beat__gte=cutoff).values_list("worker_id", flat=True)
    )
    recovered = 0
    for result in DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff):
        worker = result.worker_ids[-1] if result.worker_ids else None
        if worker in live:
            continue
        running = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING")
        if len(result.worker_ids) >= MAX_ATTEMPTS:
            running.update(
                status="FAILED",
                finished_at=now,
                exception_class_path="pressroom.sources.tasks.WorkerLost",
                traceback=f"worker {worker} stopped mid-task {len(result.worker_ids)} times",
            )
            continue
        if running.update(status="READY", started_at=None):
            recovered += 1
            log.warning(
                "task %s (%s) was left by worker %s; queued again",
                result.id,
                result.task_path,
                worker,
            )
    WorkerHeartbeat.objects.filter(last_beat__lt=now - 10 * stale_after()).delete()
    return recovered
