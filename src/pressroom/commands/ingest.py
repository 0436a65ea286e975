"""``pressroom ingest PATH...``: read listing text into the store and say what happened."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tqdm import tqdm


def register(verbs: Any) -> None:
    p = verbs.add_parser(
        "ingest",
        help="read listing pages (files or - for stdin) into the store",
        description="Read listing pages into the store; the same input twice adds nothing.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a file, or - for standard input")
    p.add_argument("--format", choices=["listing"], default="listing", help="input format")
    p.add_argument("--section", help="section for items on pages without a section heading")
    p.add_argument("--batch-size", type=int, default=None, help="items per transaction")
    p.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="progress bar on standard error (auto: on a terminal, for inputs over 1 MB)",
    )
    p.add_argument("--no-progress", dest="progress", action="store_const", const="never")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pressroom.pipeline.ingest import Ingester
    from pressroom.sources.local import InputError, open_input

    ingester = Ingester(inputs="\n".join(args.paths), batch_size=args.batch_size)
    failed = 0
    try:
        for path in args.paths:
            try:
                text = open_input(path)
            except InputError as exc:
                print(f"pressroom: {exc}", file=sys.stderr)
                ingester.note_error(str(exc))
                failed += 1
                continue
            if text.note:
                print(f"pressroom: {text.note}", file=sys.stderr)
            before = ingester.report.counts.copy()
            with text, _ProgressBar(text, args.progress) as bar:
                ingester.ingest_lines(
                    text.lines(), text.name, default_section=args.section, progress=bar.tick
                )
            print(f"{text.name}: " + _counts(ingester.report.counts - before))
    except BaseException as exc:
        if not _interrupted(exc):
            ingester.finish(error=f"{exc.__class__.__name__}: {exc}")
            raise
        _log_interrupt(ingester)
        print("pressroom: interrupted; what was stored so far is kept", file=sys.stderr)
        return 130
    report = ingester.finish()
    if len(args.paths) > 1:
        print("total: " + _counts(report.counts))
    return 1 if failed else 0


def _interrupted(exc: BaseException | None) -> bool:
    """Ctrl-C, also when it surfaced as another error: code that cleans up in a ``finally``
    clause can replace the interrupt with its own failure (Django's file cache, interrupted
    between renaming its temporary file and noting that it did, then fails to remove it)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _log_interrupt(ingester: Any) -> None:
    """Mark the run interrupted. Ctrl-C may land inside a database call or a commit and
    leave the connection unusable (a cancelled PostgreSQL query answers the next one with
    an error): then try once more on a fresh connection, and failing that say so; the
    batches already committed are stored either way."""
    from django.db import DatabaseError, connection

    ingester.note_error("interrupted")
    for attempt in range(2):
        try:
            ingester.finish()
            return
        except DatabaseError as exc:
            if attempt:
                print(f"pressroom: could not mark the run interrupted: {exc}", file=sys.stderr)
                return
            connection.close()


def _counts(counts: Any) -> str:
    from pressroom.pipeline.writer import Outcome

    return ", ".join(f"{counts[o.value]} {o.value}" for o in Outcome)


class _ProgressBar:
    """A byte-based bar: by default on a terminal for inputs over 1 MB, silent otherwise."""

    def __init__(self, text: Any, mode: str) -> None:
        self.text = text
        auto = sys.stderr.isatty() and (text.size or 0) > 1_000_000
        self.bar = tqdm(
            total=text.size,
            unit="B",
            unit_scale=True,
            desc=text.name,
            disable=not (mode == "always" or (mode == "auto" and auto)),
            leave=False,
            file=sys.stderr,
        )

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.close()

    def tick(self) -> None:
        position = self.text.position()
        if position is not None:
            self.bar.update(position - self.bar.n)
