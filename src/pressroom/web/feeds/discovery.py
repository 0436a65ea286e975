"""Which feeds a portal page offers, worked out from its URL alone (no database query).

Every page offers the home feed; a section page, a publisher page and the search page
(with the same query string) also their own, and a list filtered by ``?lang=`` the
feed of that language. The names of sections and publishers come from the page's
template context when the view put the object there, else the slug stands in.

Feed URLs are reversed once per (feed, format, language) and the slug put in place,
as ``web.links`` does for the portal's own links: every page renders these.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, override

from pressroom.store.models import Publisher, Section
from pressroom.web import i18n
from pressroom.web.feeds.search_params import feed_query_string
from pressroom.web.feeds.selection import LANGUAGE_TITLES, QUERY_IN_TITLE, SITE
from pressroom.web.links import URL_SAFE
from pressroom.web.search_params import SearchParams

MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
LABELS = {"atom": "Atom", "rss": "RSS"}
_MARKER = "9876543210"


@dataclass(frozen=True)
class FeedLink:
    name: str  # "feeds:home", "feeds:section"...
    fmt: str  # "atom" or "rss"
    media_type: str
    title: str
    href: str  # path and query, from the site's root


@cache
def _parts(name: str, fmt: str, lang: str, with_arg: bool) -> tuple[str, str]:
    kwargs: dict[str, str] = {"fmt": fmt}
    if with_arg:
        kwargs["code" if name == "feeds:language" else "slug"] = _MARKER
    with override(lang):
        url = reverse(name, kwargs=kwargs)
    before, _marker, after = url.partition(_MARKER)
    return before, after


def feed_url(name: str, fmt: str, arg: str | None = None, lang: str | None = None) -> str:
    """The path of feed ``name`` ("feeds:section"...) in format ``fmt``."""
    before, after = _parts(name, fmt, lang or i18n.current_language(), arg is not None)
    return before + quote(arg, safe=URL_SAFE) + after if arg is not None else before


def _feeds(request: HttpRequest, context: Any) -> list[tuple[str, str, str]]:
    """(title, feed name, slug or code or query string) of each feed the page offers."""
    offered = [(gettext("Official news of Kazakhstan"), "feeds:home", "")]
    match = request.resolver_match
    view = match.view_name if match else ""
    slug = str(match.kwargs.get("slug", "")) if match else ""
    if view == "portal:section" and slug:
        section = context.get("section")
        is_it = isinstance(section, Section) and section.slug == slug
        offered.append((i18n.section_name(section) if is_it else slug, "feeds:section", slug))
    elif view == "portal:publisher" and slug:
        publisher = context.get("publisher")
        is_it = isinstance(publisher, Publisher) and publisher.slug == slug
        offered.append((i18n.publisher_name(publisher) if is_it else slug, "feeds:publisher", slug))
    elif view == "portal:search":
        # The search page's own reading of its parameters; none when they were bad.
        wanted = context.get("params")
        errors = context.get("errors")
        if isinstance(wanted, SearchParams) and not errors and wanted.q:
            query = " ".join(wanted.q.split())[:QUERY_IN_TITLE]
            title = gettext("Search: %(query)s") % {"query": query}
            offered.append((title, "feeds:search", feed_query_string(wanted)))
        return offered
    lang = i18n.language_filter(request.GET.get("lang"))
    if lang:
        offered.append((str(LANGUAGE_TITLES[lang]), "feeds:language", lang))
    return offered


def page_feeds(request: HttpRequest | None, context: Any) -> list[FeedLink]:
    """The feeds of the page being rendered, Atom and RSS of each."""
    if request is None:
        return []
    found = []
    for title, name, arg in _feeds(request, context):
        for fmt in MEDIA_TYPES:
            if name == "feeds:search":
                href = feed_url(name, fmt) + (f"?{arg}" if arg else "")
            else:
                href = feed_url(name, fmt, arg or None)
            label = f"{title} · {SITE} ({LABELS[fmt]})"
            found.append(FeedLink(name, fmt, MEDIA_TYPES[fmt], label, href))
    return found
