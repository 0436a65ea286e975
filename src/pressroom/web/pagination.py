"""Numbered pages that stay put while new items arrive: pages of a snapshot.

Why a snapshot and not a pure keyset: readers (and the reference site) use numbered
pages, ``?page=N``, and a keyset cursor cannot jump to page 500. Plain offsets, though,
shift every page by one whenever a story arrives, and stories do not arrive in date
order (an archive page read today adds items from last year in the middle of the
list). So a list is read *as of* the newest membership row when the reader first
opened it: page 1 records that row id and every page link carries it as ``upto``.
Rows added later have higher ids and are left out, so page N shows the same items
however much is ingested meanwhile; the newest page 1 (no ``upto``) always shows the
latest. Only an editor hiding an article can still move items, by design.

The membership row is the article itself for most lists and the article-section link
for section lists (an old article newly seen under a section is a new link).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Max, QuerySet
from django.http import Http404, QueryDict

PAGE_SIZE = 20
NEIGHBOURS = 2  # page links shown on each side of the current page


@dataclass
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str = ""
    current: bool = False


@dataclass
class Page:
    """One page of a list. ``count`` is exact only when ``exact``: counting stops a little
    past the links shown, so page 500 of a long list costs what page 1 costs."""

    items: list[Any]
    number: int
    count: int
    exact: bool
    upto: int
    params: dict[str, str] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        """Pages known to exist (all of them when ``exact``)."""
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1)

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + len(self.items)

    def url(self, number: int) -> str:
        """A link to page ``number`` of this same snapshot and filter."""
        query = {**self.params}
        if number > 1:
            query["page"] = str(number)
            query["upto"] = str(self.upto)
        return "?" + urlencode(query) if query else "."

    def links(self) -> list[PageLink]:
        """First page, the neighbours of this one, the last if known, gaps between."""
        last = self.num_pages
        wanted = {1, *range(self.number - NEIGHBOURS, self.number + NEIGHBOURS + 1)}
        if self.exact:
            wanted.add(last)
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        links: list[PageLink] = []
        for n in numbers:
            if links and links[-1].number is not None and n - links[-1].number > 1:
                links.append(PageLink(None))
            links.append(PageLink(n, self.url(n), n == self.number))
        if not self.exact:
            links.append(PageLink(None))  # more pages follow
        return links


def _positive_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise Http404("not a page number")
    value = int(raw)
    if value < 1:
        raise Http404("not a page number")
    return value


def paginate(
    query: QueryDict,
    items: Callable[[int], QuerySet[Any]],
    newest_row: Callable[[], int | None],
    params: Mapping[str, str] | None = None,
    load: Callable[[list[Any]], list[Any]] | None = None,
) -> Page:
    """Page ``?page=N`` of the snapshot ``?upto=ID`` of a newest-first list.

    ``items(upto)`` gives the list as of row ``upto``; ``newest_row()`` gives the
    current newest row id (read only when the request names no snapshot); ``load``
    turns the page's rows into what is shown (e.g. listing rows into articles).
    """
    number = _positive_int(query.get("page")) or 1
    upto = _positive_int(query.get("upto"))
    if upto is None:
        upto = newest_row() or 0
    listed = items(upto)
    # Count only as far as the last page link shown (plus one row, to know if more follow).
    horizon = (number + NEIGHBOURS) * PAGE_SIZE + 1
    count = listed[:horizon].count()
    exact = count < horizon
    start = (number - 1) * PAGE_SIZE
    if start >= count and number > 1:
        raise Http404("no such page")
    page_items = list(listed[start : start + PAGE_SIZE])
    if load is not None:
        page_items = load(page_items)
    return Page(page_items, number, count, exact, upto, dict(params or {}))


def newest_id(queryset: QuerySet[Any]) -> Callable[[], int | None]:
    """The newest row id of a table: the snapshot anchor of a list over it."""

    def read() -> int | None:
        value = queryset.aggregate(newest=Max("id"))["newest"]
        return int(value) if value is not None else None

    return read
