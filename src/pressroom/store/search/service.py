"""``search()``: one call from a query string and filters to a page of highlighted hits.

This is the interface the portal, the feeds, the API and the CLI use; the engine
underneath (SQLite FTS5 or PostgreSQL) is chosen by the database in use.
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from pressroom.store.search import backends
from pressroom.store.search.backends import Facet, Where, backend
from pressroom.store.search.document import (
    HIDDEN_TOKEN,
    first_docid,
    lang_token,
    last_docid,
    publisher_token,
    section_token,
)
from pressroom.store.search.plan import Plan, plan
from pressroom.store.search.query import parse
from pressroom.store.search.snippets import Highlighter

COUNT_CAP = 1_000  # totals above this are reported as "more than"
MAX_PER_PAGE = 100
TIME_LIMIT_S = 3.0
LANG_CODE = re.compile(
    r"[a-z0-9]{1,8}"
)  # a search the engine cannot finish by then ends with a note


class SearchError(ValueError):
    """A filter value or page that cannot be searched (what a reader types never is)."""


class Sort(enum.StrEnum):
    RELEVANCE = "relevance"  # best match first, recent articles a little ahead
    DATE = "date"  # newest first


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return; every field narrows, None means any."""

    section: str | None = None  # slug or name as shown
    publisher: str | None = None  # slug; the publishers under it count too
    kind: str | None = None  # Publisher.Kind value
    lang: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    published: date
    lang: str
    score: float
    snippet: str  # HTML: escaped text, matches in <mark>
    title_html: str  # HTML: the title, escaped, matches in <mark>
    publisher: str | None  # slug
    sections: tuple[str, ...]
    source_url: str | None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat()
        data["sections"] = list(self.sections)
        data["score"] = round(self.score, 6)
        return data


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[Hit]
    total: int  # exact when total_exact, else a lower bound (COUNT_CAP)
    total_exact: bool
    page: int
    per_page: int
    sort: Sort
    filters: Filters
    notes: tuple[str, ...] = field(default=())  # what a reader should know (words left out...)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search(
    text: str,
    filters: Filters | None = None,
    sort: Sort | str = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Search visible articles. Never fails on what a reader typed; bad filter values
    (an unknown kind, a page below 1) raise ``SearchError``."""
    filters = filters or Filters()
    if sort not in Sort._value2member_map_:
        raise SearchError(f"unknown sort {sort!r} (relevance or date)")
    sort = Sort(sort)
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise SearchError(f"page must be 1 or more and per_page 1 to {MAX_PER_PAGE}")
    query = parse(text)
    notes: list[str] = []
    if query.truncated:
        notes.append("Only the first words of a long query were used.")
    the_plan = plan(query, filters.lang)
    where, why_none = _where(filters)
    if why_none:
        notes.append(why_none)

    def nothing() -> SearchResults:
        return SearchResults(text, [], 0, True, page, per_page, sort, filters, tuple(notes))

    if the_plan.is_empty or where is None:
        return nothing()
    engine = backend()
    offset = (page - 1) * per_page
    today = timezone.localdate().toordinal()
    try:
        with backends.time_limit(TIME_LIMIT_S):
            ranked, in_window = engine.ranked(
                the_plan, where, sort == Sort.DATE, today, per_page, offset
            )
            if in_window is not None and in_window < backends.RANK_WINDOW:
                total = in_window  # every hit was ranked: that is the count
            elif in_window is not None and in_window > COUNT_CAP:
                total = in_window  # more than the cap: no need to count further
            else:
                total = engine.count(the_plan, where, COUNT_CAP)
    except backends.TooSlow:
        notes.append("This search is too broad to finish in time: add a word or a filter.")
        return nothing()
    exact = total <= COUNT_CAP
    hits = _hits(ranked, the_plan)
    if not total and _index_is_behind():
        notes.append("The search index is empty: run 'pressroom reindex'.")
    return SearchResults(
        text, hits, min(total, COUNT_CAP), exact, page, per_page, sort, filters, tuple(notes)
    )


def _where(filters: Filters) -> tuple[Where | None, str | None]:
    """SQL for the filters on article ``a``; (None, why) when nothing can match."""
    from pressroom.store.models import Article, Publisher, Section
    from pressroom.store.publishers import publisher_and_below_slug

    sql: list[str] = []
    params: list[Any] = []
    # The rule of Article.objects.visible(); the index's "hidden" token follows the article
    # by trigger, in the transaction that hides it.
    facets = [Facet((HIDDEN_TOKEN,), "a.hidden IN (%s)", (False,), exclude=True)]
    if filters.lang:
        # Only a code the index could hold as one token (FTS5 folds case and splits on
        # signs: "EN" would find "en"); anything else is checked, and found wanting, in SQL.
        token = (lang_token(filters.lang),) if LANG_CODE.fullmatch(filters.lang) else ()
        facets.append(Facet(token, "a.lang = %s", (filters.lang,), broad=True))
    if filters.kind:
        if filters.kind not in Publisher.Kind.values:
            kinds = ", ".join(Publisher.Kind.values)
            raise SearchError(f"unknown publisher kind {filters.kind!r} (one of: {kinds})")
        ids = list(Publisher.objects.filter(kind=filters.kind).values_list("id", flat=True))
        if not ids:
            return None, None
        facets.append(_publisher_facet(ids))
    if filters.publisher:
        ids = publisher_and_below_slug(filters.publisher)
        if not ids:
            return None, f"No publisher {filters.publisher!r}."
        facets.append(_publisher_facet(ids))
    if filters.section:
        section = (
            Section.objects.filter(slug=filters.section).first()
            or Section.objects.filter(name__iexact=filters.section).first()
        )
        if section is None:
            return None, f"No section {filters.section!r}."
        links = quote_name(Article.sections.through._meta.db_table)
        facets.append(
            Facet(
                (section_token(section.pk),),
                f"EXISTS (SELECT 1 FROM {links} s WHERE s.article_id = a.id AND s.section_id = %s)",
                (section.pk,),
            )
        )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        return None, "The date range is empty."
    return (
        Where(
            tuple(sql),
            tuple(params),
            first_docid(filters.date_from) if filters.date_from else None,
            last_docid(filters.date_to) if filters.date_to else None,
            tuple(facets),
        ),
        None,
    )


def _publisher_facet(ids: list[int]) -> Facet:
    """Articles of any of these publishers: the ids are looked up when the search runs, so
    the index needs no change when a publisher moves in the tree or changes kind."""
    return Facet(
        tuple(publisher_token(i) for i in ids),
        f"a.publisher_id IN ({', '.join(['%s'] * len(ids))})",
        tuple(ids),
    )


def _index_is_behind() -> bool:
    """Articles but no index rows: a database from before search, not yet reindexed."""
    from pressroom.store.models import Article

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM search_document LIMIT 1")
        if cursor.fetchone() is not None:
            return False
    return Article.objects.exists()


def quote_name(name: str) -> str:
    return connection.ops.quote_name(name)


def _hits(ranked: list[tuple[int, float]], the_plan: Plan) -> list[Hit]:
    """The page's articles, with snippets. Two plain queries by primary key: the ORM's
    model instances and prefetching cost more than the search itself on a page of 20."""
    from pressroom.store.models import Article, Publisher, Section

    ids = [i for i, _ in ranked]
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    articles = quote_name(Article._meta.db_table)
    publishers = quote_name(Publisher._meta.db_table)
    links = quote_name(Article.sections.through._meta.db_table)
    sections = quote_name(Section._meta.db_table)
    with connection.cursor() as cursor:
        # The search SQL applied the visibility rule; an article hidden since is left out.
        cursor.execute(
            f"SELECT a.id, a.title, a.body, a.lang, a.published, a.source_url, p.slug "
            f"FROM {articles} a LEFT JOIN {publishers} p ON p.id = a.publisher_id "
            f"WHERE a.id IN ({marks}) AND a.hidden = %s",
            [*ids, False],
        )
        rows = {row[0]: row for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT l.article_id, s.name FROM {links} l JOIN {sections} s ON s.id = l.section_id "
            f"WHERE l.article_id IN ({marks}) ORDER BY s.position, s.name",
            ids,
        )
        names: dict[int, list[str]] = {}
        for article_id, name in cursor.fetchall():
            names.setdefault(article_id, []).append(name)
    marker = Highlighter.for_plan(the_plan)
    hits = []
    for article_id, score in ranked:
        row = rows.get(article_id)
        if row is None:  # deleted or hidden since the search ran
            continue
        _, title, body, lang, published, source_url, publisher = row
        hits.append(
            Hit(
                id=article_id,
                title=title,
                published=_as_date(published),
                lang=lang,
                score=score,
                snippet=marker.snippet(body, lang),
                title_html=marker.title(title, lang),
                publisher=publisher,
                sections=tuple(names.get(article_id, ())),
                source_url=source_url,
            )
        )
    return hits


def _as_date(value: Any) -> date:
    """SQLite hands dates back as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
