"""``pressroom reindex``: rebuild the search index from the stored articles."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from tqdm import tqdm


def register(verbs: Any) -> None:
    p = verbs.add_parser(
        "reindex",
        help="rebuild the search index from the articles",
        description="Re-analyse every article and rewrite the search rows that changed.",
    )
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="analyse the text in this many worker processes (default 1)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pressroom.store.models import Article
    from pressroom.store.search import reindex

    started = time.monotonic()
    bar = tqdm(
        total=Article.objects.count(),
        unit=" articles",
        disable=args.no_progress or not sys.stderr.isatty(),
        file=sys.stderr,
        leave=False,
    )

    def tick(articles: int) -> None:
        bar.update(articles)

    with bar:
        report = reindex(progress=tick, jobs=max(1, args.jobs))
    seconds = time.monotonic() - started
    print(
        f"indexed {report.articles} articles in {seconds:.1f}s: "
        f"{report.written} rows written, {report.removed} stale rows removed"
    )
    return 0
