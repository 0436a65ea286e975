"""``pressroom worker``: run background tasks (polling, re-checking) from the database queue."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from typing import Any


def register(verbs: Any) -> None:
    p = verbs.add_parser(
        "worker",
        help="run queued background tasks (any number of workers may share one database)",
    )
    p.add_argument("--processes", type=int, default=1, help="worker processes to run (default 1)")
    p.add_argument(
        "--no-scheduler",
        action="store_true",
        help="only run tasks; do not queue due polls and re-checks",
    )
    p.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")
    p.add_argument(
        "--interval", type=float, default=1.0, help="seconds between queue checks when idle"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.processes > 1:
        return _supervise(args)
    from pressroom.sources.worker import run_worker

    run_worker(schedule=not args.no_scheduler, interval=args.interval, max_tasks=args.max_tasks)
    return 0


def _supervise(args: argparse.Namespace) -> int:
    """Start N single-process workers and pass SIGTERM/SIGINT on to them."""
    command = [
        sys.executable,
        "-m",
        "pressroom.cli",
        "worker",
        "--processes",
        "1",
        "--interval",
        str(args.interval),
    ]
    if args.no_scheduler:
        command.append("--no-scheduler")
    if args.max_tasks:
        command += ["--max-tasks", str(args.max_tasks)]
    children = [subprocess.Popen(command, env=os.environ.copy()) for _ in range(args.processes)]

    def forward(signum: int, _frame: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    codes = [child.wait() for child in children]
    return max(codes)
