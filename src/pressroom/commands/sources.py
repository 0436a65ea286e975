"""``pressroom sources add|list|disable|import``: the registry of what we poll."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(verbs: Any) -> None:
    p = verbs.add_parser("sources", help="add, list, disable and import sources")
    sub = p.add_subparsers(title="actions", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="add one source")
    add.add_argument(
        "url", help="feed/page/sitemap URL, gov.kz entity URL or govkz:<slug>, or a listing file"
    )
    add.add_argument("--kind", choices=["feed", "govkz", "page", "listing", "sitemap"])
    add.add_argument("--publisher", help="publisher slug or name")
    add.add_argument("--section", action="append", default=[], help="default section (repeatable)")
    add.add_argument(
        "--lang", action="append", default=[], help="language: kk, ru, en (repeatable)"
    )
    add.add_argument("--every", help="shortest interval between polls: 600, 15m, 2h, 1d")
    add.set_defaults(handler=_add)

    ls = sub.add_parser("list", help="every source with its health")
    ls.add_argument("--all", action="store_true", help="include disabled sources")
    ls.set_defaults(handler=_list)

    off = sub.add_parser("disable", help="stop polling sources (they and their articles stay)")
    off.add_argument("ids", nargs="+", type=int, metavar="ID")
    off.set_defaults(handler=_disable)

    on = sub.add_parser("enable", help="poll disabled sources again")
    on.add_argument("ids", nargs="+", type=int, metavar="ID")
    on.set_defaults(handler=_enable)

    imp = sub.add_parser("import", help="add sources from an OPML or CSV file")
    imp.add_argument(
        "file", help="OPML, or CSV with columns url[,kind,publisher,section,lang,every]"
    )
    imp.set_defaults(handler=_import)


def _add(args: argparse.Namespace) -> int:
    from pressroom.sources.registry import SourceError, SourceSpec, add_source

    spec = SourceSpec(
        url=args.url,
        kind=args.kind,
        publisher=args.publisher,
        sections=",".join(args.section),
        languages=",".join(args.lang),
        every=args.every,
    )
    try:
        source, created = add_source(spec)
    except SourceError as exc:
        print(f"pressroom: {exc}", file=sys.stderr)
        return 2
    verb = "added" if created else "already known as"
    print(f"{verb} source {source.id}: {source.kind} {source.url}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from pressroom.sources.models import Source

    sources = Source.objects.select_related("publisher").order_by("id")
    if not args.all:
        sources = sources.filter(enabled=True)
    now = timezone.now()
    print(
        f"{'id':>4} {'kind':<7} {'health':<9} {'fails':>5} {'new':>6} {'last ok':<16} "
        f"{'next poll':<10} url / last error"
    )
    for s in sources:
        health = "disabled" if not s.enabled else ("ok" if s.healthy else "failing")
        if s.enabled and s.last_polled_at is None:
            health = "new"
        last_ok = (
            s.last_success_at.astimezone().strftime("%Y-%m-%d %H:%M") if s.last_success_at else "-"
        )
        wait = (s.next_poll_at - now).total_seconds()
        next_poll = "due" if wait <= 0 else _span(wait)
        print(
            f"{s.id:>4} {s.kind:<7} {health:<9} {s.consecutive_failures:>5} {s.items_stored:>6} "
            f"{last_ok:<16} {next_poll:<10} {s.url}"
        )
        if s.last_error and not s.healthy:
            print(f"{'':>4} last error: {s.last_error.splitlines()[0][:200]}")
    return 0


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"in {seconds / size:.0f}{unit}"
    return f"in {seconds:.0f}s"


def _disable(args: argparse.Namespace) -> int:
    return _set_enabled(args.ids, False)


def _enable(args: argparse.Namespace) -> int:
    return _set_enabled(args.ids, True)


def _set_enabled(ids: list[int], enabled: bool) -> int:
    from pressroom.sources.models import Source

    found = set(Source.objects.filter(id__in=ids).values_list("id", flat=True))
    Source.objects.filter(id__in=found).update(enabled=enabled)
    for i in ids:
        state = ("enabled" if enabled else "disabled") if i in found else "not found"
        print(f"source {i}: {state}")
    return 0 if found == set(ids) else 1


def _import(args: argparse.Namespace) -> int:
    from django.db import transaction

    from pressroom.sources.registry import SourceError, add_source, read_import

    try:
        with open(args.file, "rb") as f:
            specs = read_import(f.read(), args.file)
    except (OSError, SourceError, UnicodeDecodeError) as exc:
        print(f"pressroom: {args.file}: {exc}", file=sys.stderr)
        return 2
    added = known = failed = 0
    for number, spec in enumerate(specs, 1):
        try:
            with transaction.atomic():
                _, created = add_source(spec)
        except SourceError as exc:
            print(f"pressroom: {args.file}: entry {number}: {exc}", file=sys.stderr)
            failed += 1
            continue
        added += created
        known += not created
    print(f"{args.file}: {added} added, {known} already known, {failed} refused")
    return 1 if failed else 0
