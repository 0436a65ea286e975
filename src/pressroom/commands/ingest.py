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
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pressroom.pipeline.ingest import Ingester
    from pressroom.sources.local import InputError, open_input

    ingester = Ingester(inputs="\n".join(args.paths), batch_size=args.batch_size)
    failed = 0
    error: str | None = None
    try:
        for path in args.paths:
            try:
                text = open_input(path)
            except InputError as exc:
                print(f"pressroom: {exc}", file=sys.stderr)
                ingester.run.errors += f"{exc}\n"
                failed += 1
                continue
            if text.note:
                print(f"pressroom: {text.note}", file=sys.stderr)
            before = ingester.report.counts.copy()
            with _progress_bar(text, args.no_progress) as bar:
                ingester.ingest_lines(
                    text.lines(), text.name, default_section=args.section, progress=bar.tick
                )
            text.close()
            done = ingester.report.counts - before
            print(f"{text.name}: " + _counts(done))
    except KeyboardInterrupt:
        error = "interrupted"
        print("pressroom: interrupted; what was stored so far is kept", file=sys.stderr)
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"
        ingester.finish(error=error)
        raise
    report = ingester.finish(error=error or (ingester.run.errors.strip() or None))
    if len(args.paths) > 1:
        print("total: " + _counts(report.counts))
    if error:
        return 130
    return 1 if failed else 0


def _counts(counts: Any) -> str:
    from pressroom.pipeline.writer import Outcome

    return ", ".join(f"{counts[o.value]} {o.value}" for o in Outcome)


class _progress_bar:
    """A byte-based bar on a terminal for inputs over 1 MB; silent otherwise."""

    def __init__(self, text: Any, disabled: bool) -> None:
        self.text = text
        show = not disabled and sys.stderr.isatty() and (text.size or 0) > 1_000_000
        self.bar = tqdm(
            total=text.size,
            unit="B",
            unit_scale=True,
            desc=text.name,
            disable=not show,
            leave=False,
        )

    def __enter__(self) -> _progress_bar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.close()

    def tick(self) -> None:
        position = self.text.position()
        if position is not None:
            self.bar.update(position - self.bar.n)
