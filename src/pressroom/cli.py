"""The ``pressroom`` command: the project's verbs on top of Django.

``pressroom ingest``, ``export`` and friends are ours; ``migrate``,
``createsuperuser`` and any other Django management command pass through to
Django (``pressroom manage ...`` reaches all of them).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

PASS_THROUGH = ("migrate", "createsuperuser", "changepassword", "check", "shell", "dbshell")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    if argv and argv[0] in (*PASS_THROUGH, "manage"):
        return _django(argv[1:] if argv[0] == "manage" else argv)
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    import django

    django.setup()
    from pressroom.store.schema import SchemaError, ensure_schema

    try:
        ensure_schema()
    except SchemaError as exc:
        print(f"pressroom: {exc}", file=sys.stderr)
        return 1
    return int(args.handler(args))


def _django(argv: list[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pressroom", *argv])
    return 0


def _parser() -> argparse.ArgumentParser:
    from pressroom import __version__
    from pressroom.commands import (
        articles,
        crawl,
        export,
        ingest,
        reindex,
        run,
        search,
        serve,
        sources,
        worker,
    )

    parser = argparse.ArgumentParser(
        prog="pressroom",
        description="Collect official press releases, de-duplicate them, republish them.",
        epilog=f"Django commands also work: {', '.join(PASS_THROUGH)}, or 'pressroom manage ...'.",
    )
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    verbs = parser.add_subparsers(title="commands", metavar="COMMAND")
    ingest.register(verbs)
    export.register(verbs)
    articles.register(verbs)
    serve.register(verbs)
    sources.register(verbs)
    crawl.register(verbs)
    worker.register(verbs)
    run.register(verbs)
    search.register(verbs)
    reindex.register(verbs)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
