"""The feed views: Django's syndication framework over a ``Selection``, cached as pages.

One ``ArticleFeed`` instance per format serves every feed; everything that depends on
the request (the selection, absolute URLs) travels in the object ``get_object``
returns, never on the instance, which gunicorn's threads share.

Feeds are public pages (``public_page``): the page cache stores them under their full
URL until the content changes, and answers ``If-None-Match`` / ``If-Modified-Since``
with 304. A search parameter that makes no sense is a 400 with the reason; an unknown
section, publisher or language a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.utils.translation import gettext

from pressroom.web.cache import mark_public, public_page, within_budget
from pressroom.web.feeds import selection
from pressroom.web.feeds.entries import Entry, entries
from pressroom.web.feeds.generators import FORMATS, AtomFeed
from pressroom.web.feeds.search_params import BadParameter, parse

SEARCH_FEEDS_PER_HOUR = 200
CACHEABLE_QUERY_STRING = 300


@dataclass(frozen=True)
class FeedData:
    """One request's feed: its selection and entries, and where it lives."""

    selection: selection.Selection
    entries: list[Entry]
    self_url: str  # the feed's own URL, query string included


class ArticleFeed(Feed):
    """A list of articles as Atom or RSS (``feed_type``), full bodies included."""

    def __init__(self, feed_type: type[AtomFeed] | type[Any]) -> None:
        self.feed_type = feed_type
        self.atom = issubclass(feed_type, AtomFeed)

    def get_object(self, request: HttpRequest, chosen: selection.Selection) -> FeedData:
        return FeedData(
            chosen,
            entries(chosen.articles, request),
            request.build_absolute_uri(request.get_full_path()),
        )

    def title(self, obj: FeedData) -> str:
        return obj.selection.title

    def link(self, obj: FeedData) -> str:
        return obj.selection.page

    def description(self, obj: FeedData) -> str:
        return obj.selection.description

    def subtitle(self, obj: FeedData) -> str | None:
        return obj.selection.description if self.atom else None

    def feed_url(self, obj: FeedData) -> str:
        return obj.self_url

    def items(self, obj: FeedData) -> list[Entry]:
        return obj.entries

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        # Atom: a one-sentence <summary> beside the full <content>; RSS: the full body.
        return escape(item.lead, quote=False) if self.atom else item.html

    def item_pubdate(self, item: Entry) -> Any:
        return item.published

    def item_updateddate(self, item: Entry) -> Any:
        return item.updated

    def item_author_name(self, item: Entry) -> str | None:
        return item.author

    def item_author_link(self, item: Entry) -> str | None:
        return item.author_link

    def item_categories(self, item: Entry) -> tuple[str, ...]:
        return item.categories

    def item_extra_kwargs(self, item: Entry) -> dict[str, Any]:
        extra: dict[str, Any] = {"lang": item.lang, "via": item.source_url}
        if self.atom:
            extra["content"] = item.html
        return extra


FEEDS = {fmt: ArticleFeed(feed_type) for fmt, feed_type in FORMATS.items()}


def _respond(request: HttpRequest, fmt: str, chosen: selection.Selection) -> HttpResponse:
    response: HttpResponse = FEEDS[fmt](request, chosen=chosen)
    return response


@public_page
def home(request: HttpRequest, fmt: str) -> HttpResponseBase:
    return _respond(request, fmt, selection.home())


@public_page
def section(request: HttpRequest, fmt: str, slug: str) -> HttpResponseBase:
    return _respond(request, fmt, selection.section(slug))


@public_page
def publisher(request: HttpRequest, fmt: str, slug: str) -> HttpResponseBase:
    return _respond(request, fmt, selection.publisher(slug))


@public_page
def language(request: HttpRequest, fmt: str, code: str) -> HttpResponseBase:
    return _respond(request, fmt, selection.language(code))


def search(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """A search's newest matches; cached within a budget (``web.cache.within_budget``)."""
    try:
        chosen = selection.searched(parse(request.GET))
    except BadParameter as error:
        return HttpResponseBadRequest(
            f"{gettext('Bad search parameter:')} {error}\n",
            content_type="text/plain; charset=utf-8",
        )
    response = _respond(request, fmt, chosen)
    if within_budget(request, "search-feeds", SEARCH_FEEDS_PER_HOUR, CACHEABLE_QUERY_STRING):
        mark_public(response)
    return response
