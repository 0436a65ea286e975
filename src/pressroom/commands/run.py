"""``pressroom run``: the site and the background work together, one command.

On the embedded default (SQLite) the task worker, its heartbeat and the
scheduler run on threads of this process beside the web server; on PostgreSQL
the same happens, and more ``pressroom worker`` processes (on this or other
machines) may share the work.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(verbs: Any) -> None:
    p = verbs.add_parser(
        "run", help="serve the site and run the background work (polling, re-checks)"
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=None, help="web server worker processes")
    p.add_argument("--no-background", action="store_true", help="serve only; no background work")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pressroom.commands.serve import serve
    from pressroom.sources.worker import BackgroundWorker

    background = None if args.no_background else BackgroundWorker()
    if background is not None:
        background.start()
        print("pressroom: background work (polling, re-checks) runs in this process")
    try:
        serve(args.host, args.port, workers=args.workers)
    finally:
        if background is not None:
            background.stop()
    return 0
