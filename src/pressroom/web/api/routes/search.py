"""``/search``: ``pressroom.store.search.search()`` with the filters of ``/articles``.

The engine pages by number (it ranks, then skips); the cursor carries the next page
number, signed like every cursor, so clients walk search results and article lists the
same way. Unlike article lists these pages are offsets into a ranking: an article stored
meanwhile can shift later pages by one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from pressroom.store.models import Article
from pressroom.store.search import SearchError, Sort, search
from pressroom.store.search.service import COUNT_CAP
from pressroom.web.api import filters as article_filters
from pressroom.web.api import pagination
from pressroom.web.api.routes.common import ERRORS, OPENAPI_EXTRA, portal_url
from pressroom.web.api.schemas import (
    MAX_QUERY_CHARS,
    ArticleFilters,
    Page,
    SearchResults,
)

router = Router(tags=["search"])


class SearchQuery(Schema):
    # Any text: the search reads hostile input (operators, control characters) as words.
    q: str = Field(
        max_length=MAX_QUERY_CHARS,
        description='Words, "phrases", -exclude, OR, prefix*; see docs/search.md.',
    )
    sort: Sort = Field(Sort.RELEVANCE, description="relevance (recent a little ahead) or date.")


@router.get(
    "/search",
    response={200: SearchResults, **ERRORS},
    openapi_extra=OPENAPI_EXTRA,
    summary="Full-text search over title and body",
)
def search_articles(
    request: HttpRequest,
    query: Query[SearchQuery],
    filters: Query[ArticleFilters],
    page: Query[Page],
) -> dict[str, Any]:
    """English, Russian and Kazakh, with stems and names across scripts; highlighted
    snippets. `total` stops counting at 1,000."""
    checked = article_filters.check(filters)
    number = 1
    if page.cursor:
        number = pagination.page_position(page.cursor, "s", COUNT_CAP)
    try:
        results = search(query.q, checked.for_search(), query.sort, number, page.limit)
    except SearchError as error:
        raise HttpError(400, str(error)) from None
    ids = [hit.id for hit in results.hits]
    sections = _sections(ids)
    cursor = pagination.page_cursor("s", number + 1) if results.has_next else None
    return {
        "query": results.query,
        "sort": results.sort.value,
        "total": results.total,
        "total_exact": results.total_exact,
        "items": [
            {
                "id": hit.id,
                "title": hit.title,
                "title_html": hit.title_html,
                "snippet": hit.snippet,
                "lang": hit.lang,
                "published": hit.published,
                "publisher": hit.publisher,
                "sections": sections.get(hit.id, []),
                "source_url": hit.source_url,
                "url": portal_url(request, "portal:article", hit.id, hit.lang),
                "score": hit.score,
            }
            for hit in results.hits
        ],
        "limit": page.limit,
        "notes": list(results.notes),
        "next_cursor": cursor,
        "next": pagination.next_url(request, cursor),
    }


def _sections(ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """Slugs and names of the hits' sections in one query (the hits carry names only)."""
    found: dict[int, list[dict[str, str]]] = {}
    if not ids:
        return found
    links = (
        Article.sections.through.objects.filter(article_id__in=ids)
        .order_by("section__position", "section__name")
        .values_list("article_id", "section__slug", "section__name")
    )
    for article_id, slug, name in links:
        found.setdefault(article_id, []).append({"slug": slug, "name": name})
    return found
