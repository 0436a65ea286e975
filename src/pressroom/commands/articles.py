"""``pressroom articles``: a readable table of stored articles, newest first."""

from __future__ import annotations

import argparse
import shutil
from typing import Any


def register(verbs: Any) -> None:
    p = verbs.add_parser("articles", help="list stored articles, newest first")
    p.add_argument("--limit", type=int, default=50, help="at most this many (0: all)")
    p.add_argument("--section", help="only articles in this section (name as shown)")
    p.add_argument("--lang", choices=["en", "ru", "kk"], help="only articles in this language")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from django.db.models import Count

    from pressroom.store.models import Article

    articles = (
        Article.objects.select_related("publisher")
        .prefetch_related("sections")
        .annotate(copies=Count("sightings"))
        .order_by("-published", "id")
    )
    if args.section:
        articles = articles.filter(sections__name__iexact=args.section)
    if args.lang:
        articles = articles.filter(lang=args.lang)
    total = articles.count()
    if args.limit:
        articles = articles[: args.limit]
    width = shutil.get_terminal_size((120, 20)).columns
    for a in articles:
        sections = ",".join(s.name for s in a.sections.all()) or "-"
        publisher = a.publisher.slug if a.publisher else "-"
        flags = "…" if a.truncated else " "
        head = (
            f"{a.published}  {a.lang}  {sections:<16.16} {a.copies:>2}x  {publisher:<16.16} {flags}"
        )
        print(f"{head}{a.title}"[:width])
    shown = min(total, args.limit) if args.limit else total
    print(f"-- {shown} of {total} articles (copies: times seen; …: text cut off at the source)")
    return 0
