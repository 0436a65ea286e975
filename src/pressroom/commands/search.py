"""``pressroom search QUERY``: the portal's search from the shell, as text or JSON."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from datetime import date
from html import unescape
from typing import Any

_TAGS = re.compile(r"</?mark>")


def register(verbs: Any) -> None:
    p = verbs.add_parser(
        "search",
        help='search articles (words, "phrases", -exclude, OR, prefix*)',
        description=(
            'Search visible articles. QUERY: words (all must match), "a phrase", -word to '
            "leave out, a OR b for either, prefix* for words that start so."
        ),
    )
    p.add_argument("query", metavar="QUERY", nargs="+", help="what to look for")
    p.add_argument("--section", help="only in this section (slug or name)")
    p.add_argument("--publisher", help="only from this publisher (slug) and those under it")
    p.add_argument("--kind", help="only from publishers of this kind (ministry, akimat ...)")
    p.add_argument("--lang", choices=["en", "ru", "kk"], help="only in this language")
    p.add_argument("--from", dest="date_from", type=_date, help="published on or after YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, help="published on or before YYYY-MM-DD")
    p.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    p.add_argument("--page", type=_positive, default=1)
    p.add_argument("--per-page", type=_positive, default=20, help="hits per page (at most 100)")
    p.add_argument("--json", action="store_true", help="print the hits as a JSON list")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pressroom.store.search import Filters, SearchError, search

    filters = Filters(
        section=args.section,
        publisher=args.publisher,
        kind=args.kind,
        lang=args.lang,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    try:
        results = search(" ".join(args.query), filters, args.sort, args.page, args.per_page)
    except SearchError as exc:
        print(f"pressroom: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([h.as_json() for h in results.hits], ensure_ascii=False, indent=1))
        return 0
    width = shutil.get_terminal_size((120, 20)).columns
    for hit in results.hits:
        print(f"{hit.published}  {hit.lang}  #{hit.id:<7} {hit.title}"[:width])
        print("    " + _plain(hit.snippet)[: max(20, width - 4)])
    for note in results.notes:
        print(f"-- {note}")
    total = f"{results.total}" if results.total_exact else f"more than {results.total}"
    print(f"-- page {results.page} of {results.pages}, {total} articles")
    return 0


def _plain(html: str) -> str:
    return unescape(_TAGS.sub("", html)).replace("\n", " ")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more: {text!r}")
    return value
