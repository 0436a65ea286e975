"""``pressroom crawl [--once] [--source ID]``: poll sources in this process."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any


def register(verbs: Any) -> None:
    p = verbs.add_parser(
        "crawl",
        help="poll sources now (in this process, no queue)",
        description="Poll sources and store what is new. Without --once: keep polling what "
        "falls due, and re-check recent articles, until interrupted.",
    )
    p.add_argument(
        "--once", action="store_true", help="one round over every enabled source, then exit"
    )
    p.add_argument("--source", type=int, action="append", metavar="ID", help="only this source")
    p.add_argument("--no-recheck", action="store_true", help="do not re-check stored articles")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pressroom.sources.crawl import Crawler, claim_sources
    from pressroom.sources.fetch.client import FetchSession
    from pressroom.sources.recheck import claim_rechecks, recheck

    failed = 0
    with FetchSession() as session:
        try:
            while True:
                sources = claim_sources(ids=args.source, due_only=not args.once)
                if args.once and not sources:
                    print(
                        "pressroom: no enabled source to poll (or all are being polled)",
                        file=sys.stderr,
                    )
                if sources:
                    report = Crawler(session).poll(sources)
                    failed += report.failed
                    print(report.summary())
                    for error in report.errors:
                        print(f"  {error}", file=sys.stderr)
                if not args.no_recheck:
                    rows = claim_rechecks(due_only=True)
                    if rows:
                        counts = recheck(rows, session)
                        print("re-checked " + ", ".join(f"{n} {k}" for k, n in counts.items()))
                if args.once:
                    break
                time.sleep(5)
        except KeyboardInterrupt:
            print("pressroom: interrupted; what was stored so far is kept", file=sys.stderr)
            return 130
    return 1 if failed else 0
