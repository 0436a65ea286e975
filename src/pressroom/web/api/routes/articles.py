"""``/articles`` (visible articles newest first, filtered, cursor pages) and ``/articles/{id}``.

A page costs a fixed number of queries whatever its size: the filter look-ups, the page
of articles with their publishers (one join), and their sections (one prefetch). Pages
of one section walk the portal's section listing, as the section pages do. An
article costs five: itself, its sections, sightings, earlier versions and translations.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from pressroom.store.models import Article, Section, Sighting
from pressroom.web.api import filters as article_filters
from pressroom.web.api import pagination
from pressroom.web.api.routes.common import ERRORS, NOT_FOUND, OPENAPI_EXTRA, paragraphs, portal_url
from pressroom.web.api.schemas import ArticleDetail, ArticleFilters, ArticleId, ArticleList, Page
from pressroom.web.models import SectionListing

router = Router(tags=["articles"])

ITEM_FIELDS = (
    "id",
    "title",
    "lang",
    "published",
    "publisher__slug",
    "source_url",
    "source_id",
    "first_seen",
    "last_seen",
    "withdrawn_at",
    "truncated",
)
SIGHTING_FIELDS = (
    "id",
    "article_id",
    "input_name",
    "page_url",
    "line",
    "end_line",
    "section_name",
    "source_url",
    "match",
    "truncated",
    "seen_at",
)
_SECTIONS = Prefetch("sections", queryset=Section.objects.only("id", "slug", "name"))


@router.get(
    "/articles",
    response={200: ArticleList, **ERRORS},
    openapi_extra=OPENAPI_EXTRA,
    summary="Visible articles, newest first",
)
def list_articles(
    request: HttpRequest,
    filters: Query[ArticleFilters],
    page: Query[Page],
    include_body: bool = Query(False, description="Add each article's paragraphs."),
) -> dict[str, Any]:
    """Newest `published` first, then newest id. Pages are keyset cursors: articles
    stored while a client walks the list never make it see an article twice or miss one."""
    checked = article_filters.check(filters)
    after = pagination.article_position(page.cursor) if page.cursor else None
    fields = (*ITEM_FIELDS, "body") if include_body else ITEM_FIELDS
    if checked.section_id is None:
        rows = _articles(checked, after, fields, page.limit + 1)
    else:
        rows = _section_articles(checked, after, fields, page.limit + 1)
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    cursor = pagination.article_cursor(rows[-1].published, rows[-1].pk) if more else None
    return {
        "items": [item(request, a, include_body) for a in rows],
        "limit": page.limit,
        "next_cursor": cursor,
        "next": pagination.next_url(request, cursor),
    }


@router.get(
    "/articles/{article_id}",
    response={200: ArticleDetail, **ERRORS, **NOT_FOUND},
    openapi_extra=OPENAPI_EXTRA,
    summary="One article with its sightings, versions and translations",
)
def get_article(
    request: HttpRequest,
    article_id: ArticleId,
    include_raw: bool = Query(False, description="Add the raw text of every sighting."),
) -> dict[str, Any]:
    """Hidden articles answer 404, as if they did not exist."""
    visible = Article.objects.visible()
    article = (
        visible.select_related("publisher")
        .defer("signature", "fingerprint", "title_key")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise HttpError(404, f"There is no article {article_id}.")
    sections = list(article.sections.only("id", "slug", "name"))
    fields = (*SIGHTING_FIELDS, "raw") if include_raw else SIGHTING_FIELDS
    sightings = list(article.sightings.only(*fields))
    versions = list(article.versions.only("id", "article_id", "title", "body", "replaced_at"))
    translations = visible.translations_of(article)
    data = item(request, article, True, sections)
    data["sightings"] = [sighting(s, include_raw) for s in sightings]
    data["versions"] = [
        {"title": v.title, "body": paragraphs(v.body), "replaced_at": v.replaced_at}
        for v in versions
    ]
    data["translations"] = [{"id": t.pk, "lang": t.lang, "title": t.title} for t in translations]
    return data


def _articles(
    checked: article_filters.Checked,
    after: tuple[date, int] | None,
    fields: tuple[str, ...],
    count: int,
) -> list[Article]:
    articles = checked.apply(Article.objects.visible())
    if after is not None:
        published, last_id = after
        # The range on `published` lets the list index start at the cursor's day.
        articles = articles.filter(published__lte=published).exclude(
            published=published, id__gte=last_id
        )
    return list(
        articles.newest_first()
        .select_related("publisher")
        .only(*fields)
        .prefetch_related(_SECTIONS)[:count]
    )


def _section_articles(
    checked: article_filters.Checked,
    after: tuple[date, int] | None,
    fields: tuple[str, ...],
    count: int,
) -> list[Article]:
    """A section's articles walk the portal's section listing (``web.models.SectionListing``,
    indexed in display order) instead of sorting every article of the section."""
    rows = checked.apply_to_listing(SectionListing.objects.visible())
    if after is not None:
        published, last_id = after
        rows = rows.filter(published__lte=published).exclude(
            published=published, article_id__gte=last_id
        )
    rows = (
        rows.order_by("-published", "-article_id")
        .select_related("article__publisher")
        .only("id", "published", "article_id", *(f"article__{f}" for f in fields))
        .prefetch_related(Prefetch("article__sections", queryset=_SECTIONS.queryset))
    )
    return [row.article for row in rows[:count]]


def item(
    request: HttpRequest,
    article: Article,
    include_body: bool,
    sections: list[Section] | None = None,
) -> dict[str, Any]:
    if sections is None:
        sections = list(article.sections.all())  # prefetched
    return {
        "id": article.pk,
        "title": article.title,
        "lang": article.lang,
        "published": article.published,
        "publisher": article.publisher.slug if article.publisher else None,
        "sections": [{"slug": s.slug, "name": s.name} for s in sections],
        "source_url": article.source_url,
        "source_id": article.source_id,
        "url": portal_url(request, "portal:article", article.pk, article.lang),
        "first_seen": article.first_seen,
        "last_seen": article.last_seen,
        "withdrawn_at": article.withdrawn_at,
        "truncated": article.truncated,
        "body": paragraphs(article.body) if include_body else None,
    }


def sighting(s: Sighting, include_raw: bool) -> dict[str, Any]:
    name = s.input_name
    return {
        "id": s.pk,
        # A file's name without the server's folders; a URL whole.
        "input": name if "://" in name else name.rsplit("/", 1)[-1],
        "page_url": s.page_url,
        "line": s.line,
        "end_line": s.end_line,
        "section": s.section_name,
        "source_url": s.source_url,
        "match": s.match,
        "truncated": s.truncated,
        "seen_at": s.seen_at,
        "raw": s.raw if include_raw else None,
    }
