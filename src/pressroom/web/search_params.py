"""The search page's GET parameters: read, checked and written back as links.

The names are fixed (the search feed takes the same ones): ``q``, ``section``,
``publisher``, ``kind``, ``lang``, ``from``, ``to``, ``sort``, ``page``. Values are
checked here against what exists (sections and publishers are looked up in lists
already loaded for the form, so no reader's text reaches a database query but the
search's own), and every problem is described in words for the page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext

from pressroom.store.models import Publisher
from pressroom.store.search import Filters, Sort
from pressroom.store.search.service import COUNT_CAP
from pressroom.web.i18n import LANGUAGE_CODES

PER_PAGE = 20
MAX_PAGE = COUNT_CAP // PER_PAGE  # totals stop at COUNT_CAP, so pages past it never exist
MAX_QUERY_CHARS = 1_000  # the engine uses 32 terms of at most 64 letters; links stay short
FILTER_NAMES = ("section", "publisher", "kind", "lang", "from", "to")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHOWN_CHARS = 60  # of a bad value, when a message quotes it


@dataclass(frozen=True)
class SearchParams:
    """A valid search request; ``raw`` keeps what was typed, for the form to show again."""

    q: str = ""
    section: str | None = None
    publisher: str | None = None
    kind: str | None = None
    lang: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = Sort.RELEVANCE.value
    page: int = 1
    raw: Mapping[str, str] = field(default_factory=dict)
    query_cut: bool = False  # q was longer than MAX_QUERY_CHARS

    def filters(self) -> Filters:
        return Filters(
            section=self.section,
            publisher=self.publisher,
            kind=self.kind,
            lang=self.lang,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def items(self, page: bool = True, sort: bool = True) -> list[tuple[str, str]]:
        """The parameters in a fixed order, defaults left out: one URL per search."""
        values = {
            "q": self.q,
            "section": self.section,
            "publisher": self.publisher,
            "kind": self.kind,
            "lang": self.lang,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "sort": self.sort if sort and self.sort != Sort.RELEVANCE else None,
            "page": str(self.page) if page and self.page > 1 else None,
        }
        return [(name, value) for name, value in values.items() if value]

    def query_string(self, page: bool = True) -> str:
        return urlencode(self.items(page))

    def url(self, **changes: Any) -> str:
        """A link relative to the search page to this search with ``changes`` (page 1 unless
        a page is given)."""
        changed = replace(self, **{"page": 1, **changes})
        query = changed.query_string()
        return f"?{query}" if query else "."

    @property
    def has_filters(self) -> bool:
        return any(
            (self.section, self.publisher, self.kind, self.lang, self.date_from, self.date_to)
        )

    def without(self, name: str) -> str:
        """A link to this search with one filter (a GET parameter name) removed."""
        attribute = {"from": "date_from", "to": "date_to"}.get(name, name)
        return self.url(**{attribute: None})

    def without_filters(self) -> str:
        return self.url(
            section=None, publisher=None, kind=None, lang=None, date_from=None, date_to=None
        )


def clean_query(text: str) -> str:
    """The query as typed, less control characters (NUL, escape...), which mean nothing
    and must not reach the page; format characters (joiners some scripts need) stay."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return cleaned.strip()


def shown(value: str) -> str:
    """A bad value as a message may quote it: printable, and not too long."""
    value = clean_query(value)
    return value if len(value) <= _SHOWN_CHARS else value[: _SHOWN_CHARS - 1] + "…"


def parse(
    query: Mapping[str, str],
    section_slugs: Collection[str],
    publisher_slugs: Collection[str],
) -> tuple[SearchParams, dict[str, str]]:
    """Read the GET parameters. Returns the request and, by parameter name, what is wrong
    with it (an empty dict when it can be searched). Empty values mean "any".

    ``section_slugs`` and ``publisher_slugs`` are the ones that exist (a mapping keyed by
    slug will do)."""

    # Filter values are checked as sent; ``raw`` (what the form shows) is cleaned.
    sent = {name: (query.get(name) or "").strip() for name in (*FILTER_NAMES, "sort", "page")}
    raw = {name: clean_query(value) for name, value in sent.items()}
    errors: dict[str, str] = {}
    q = clean_query(query.get("q") or "")
    cut = len(q) > MAX_QUERY_CHARS
    if cut:
        q = q[:MAX_QUERY_CHARS].rstrip()
    raw["q"] = q
    section = sent["section"] or None
    if section is not None and section not in section_slugs:
        errors["section"] = gettext("There is no section “%(value)s”.") % {"value": shown(section)}
    publisher = sent["publisher"] or None
    if publisher is not None and publisher not in publisher_slugs:
        errors["publisher"] = gettext("There is no publisher “%(value)s”.") % {
            "value": shown(publisher)
        }
    kind = sent["kind"] or None
    if kind is not None and kind not in Publisher.Kind.values:
        errors["kind"] = gettext("“%(value)s” is not a kind of publisher.") % {"value": shown(kind)}
    lang = sent["lang"] or None
    if lang is not None and lang not in LANGUAGE_CODES:
        errors["lang"] = gettext(
            "“%(value)s” is not a language of the articles: choose English, Russian or Kazakh."
        ) % {"value": shown(lang)}
    date_from = _date(sent["from"], "from", errors)
    date_to = _date(sent["to"], "to", errors)
    if date_from and date_to and date_from > date_to:
        errors["to"] = gettext("The end date is before the start date.")
    sort = sent["sort"] or Sort.RELEVANCE.value
    if sort not in Sort._value2member_map_:
        errors["sort"] = gettext("Results can be sorted by relevance or by date.")
        sort = Sort.RELEVANCE.value
    page = _page(sent["page"], errors)
    if errors:  # a value that is wrong is not used (the form shows it again from raw)
        section = None if "section" in errors else section
        publisher = None if "publisher" in errors else publisher
        kind = None if "kind" in errors else kind
        lang = None if "lang" in errors else lang
    params = SearchParams(
        q, section, publisher, kind, lang, date_from, date_to, sort, page, raw, cut
    )
    return params, errors


def _date(value: str, name: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors[name] = gettext("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {
        "value": shown(value)
    }
    return None


def _page(value: str, errors: dict[str, str]) -> int:
    if not value:
        return 1
    digits = value.lstrip("0")
    if not (value.isascii() and value.isdigit()) or not digits:
        errors["page"] = gettext("“%(value)s” is not a page number.") % {"value": shown(value)}
        return 1
    if len(digits) > 6 or int(digits) > MAX_PAGE:
        errors["page"] = gettext(
            "Only the first %(max)s pages of results are shown: add a word or a filter "
            "to narrow the search."
        ) % {"max": MAX_PAGE}
        return 1
    return int(digits)
