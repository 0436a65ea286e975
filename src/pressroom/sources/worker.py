"""A worker process: the django-tasks-db worker loop, a heartbeat and the scheduler.

Every worker process (on any machine sharing the database) runs three things:
the task loop (claims tasks with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL, an exclusive transaction on SQLite), and on a side thread a
heartbeat every few seconds plus the scheduler (``tasks.schedule_due``) and the
stalled-task recovery (``tasks.recover_stalled``). Leases make the scheduler
safe to run in every process at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from pressroom.sources import tasks
from pressroom.sources.models import WorkerHeartbeat

log = logging.getLogger(__name__)
TICK_SECONDS = 5.0


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Housekeeper(threading.Thread):
    """Heartbeat, scheduler and recovery, every ``TICK_SECONDS``, until stopped."""

    def __init__(self, worker_id: str, schedule: bool, tick: float = TICK_SECONDS) -> None:
        super().__init__(daemon=True, name="pressroom-housekeeper")
        self.worker_id = worker_id
        self.schedule = schedule
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    self.beat()
                    if self.schedule:
                        tasks.recover_stalled()
                        tasks.schedule_due()
                except Exception:
                    log.exception("housekeeping failed; trying again")
                    close_old_connections()
                self.stopping.wait(self.tick)
        finally:
            connection.close()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:200],
                "pid": os.getpid(),
                "last_beat": timezone.now(),
            },
        )

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def make_worker(worker_id: str, interval: float = 1.0, max_tasks: int | None = None) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_worker(
    schedule: bool = True,
    interval: float = 1.0,
    max_tasks: int | None = None,
    handle_signals: bool = True,
) -> None:
    """Run one worker in this process until it is stopped (SIGTERM/SIGINT) or ``max_tasks``."""
    worker_id = new_worker_id()
    keeper = Housekeeper(worker_id, schedule)
    keeper.beat()
    keeper.start()
    worker = make_worker(worker_id, interval, max_tasks)
    if handle_signals:
        worker.configure_signals()
    log.info("worker %s started", worker_id)
    try:
        worker.run()
    finally:
        keeper.stop()


class BackgroundWorker:
    """A worker on threads of this process (``pressroom run`` on the embedded default)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.worker_id = new_worker_id()
        self.keeper = Housekeeper(self.worker_id, schedule=True)
        self.worker = make_worker(self.worker_id, interval)
        self.thread = threading.Thread(target=self._run, daemon=True, name="pressroom-worker")

    def _run(self) -> None:
        try:
            self.worker.run()
        finally:
            connection.close()

    def start(self) -> None:
        self.keeper.beat()
        self.keeper.start()
        self.thread.start()

    def stop(self) -> None:
        self.worker.running = False
        self.thread.join(timeout=60)
        self.keeper.stop()
