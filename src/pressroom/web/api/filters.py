"""The article filters, checked once and applied the way search applies them.

``/articles`` and ``/search`` take the same filters with the same meaning; the publisher
filter (a publisher and every publisher under it) is search's own helper, so the two
cannot drift apart. Unknown sections or publishers and an empty date range are a 400
with the reason, as on the portal's search page, rather than a silently empty list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from ninja.errors import HttpError

from pressroom.store.models import Section
from pressroom.store.publishers import publisher_and_below_slug
from pressroom.store.querysets import ArticleQuerySet
from pressroom.store.search import Filters
from pressroom.web.api.schemas import ArticleFilters
from pressroom.web.models import SectionListing

_SHOWN_CHARS = 60


@dataclass(frozen=True)
class Checked:
    """Filters whose names were found: ids to filter on."""

    given: ArticleFilters
    section_id: int | None
    publisher_ids: list[int] | None

    def apply(self, articles: ArticleQuerySet) -> ArticleQuerySet:
        f = self.given
        if f.lang:
            articles = articles.filter(lang=f.lang)
        if f.kind:
            articles = articles.filter(publisher__kind=f.kind)
        if self.publisher_ids is not None:
            articles = articles.filter(publisher_id__in=self.publisher_ids)
        if self.section_id is not None:
            articles = articles.filter(sections=self.section_id)
        if f.date_from:
            articles = articles.filter(published__gte=f.date_from)
        if f.date_to:
            articles = articles.filter(published__lte=f.date_to)
        return articles

    def apply_to_listing(self, rows: QuerySet[SectionListing]) -> QuerySet[SectionListing]:
        """The same filters on the section listing (``section_id`` must be set): its own
        date and language columns, the article's publisher, the article's own visibility."""
        f = self.given
        if self.section_id is None:
            raise ValueError("the section listing needs a section filter")
        rows = rows.filter(section_id=self.section_id, article__hidden=False)
        if f.lang:
            rows = rows.filter(lang=f.lang)
        if f.kind:
            rows = rows.filter(article__publisher__kind=f.kind)
        if self.publisher_ids is not None:
            rows = rows.filter(article__publisher_id__in=self.publisher_ids)
        if f.date_from:
            rows = rows.filter(published__gte=f.date_from)
        if f.date_to:
            rows = rows.filter(published__lte=f.date_to)
        return rows

    def for_search(self) -> Filters:
        f = self.given
        return Filters(
            section=f.section,
            publisher=f.publisher,
            kind=f.kind.value if f.kind else None,
            lang=f.lang,
            date_from=f.date_from,
            date_to=f.date_to,
        )


def check(f: ArticleFilters) -> Checked:
    section_id = _section_id(f.section) if f.section else None
    publisher_ids = None
    if f.publisher:
        publisher_ids = publisher_and_below_slug(f.publisher)
        if not publisher_ids:
            raise HttpError(400, f"There is no publisher {_shown(f.publisher)}.")
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise HttpError(400, "The end date ('to') is before the start date ('from').")
    return Checked(f, section_id, publisher_ids)


def _section_id(value: str) -> int:
    """A slug, else a name as shown (any case): the order search resolves them in."""
    found = list(
        Section.objects.filter(Q(slug=value) | Q(name__iexact=value)).values_list("id", "slug")
    )
    for section_id, slug in found:
        if slug == value:
            return section_id
    if found:
        return found[0][0]
    raise HttpError(400, f"There is no section {_shown(value)}.")


def _shown(value: str) -> str:
    if len(value) > _SHOWN_CHARS:
        value = value[: _SHOWN_CHARS - 1] + "…"
    return f"“{value}”"
