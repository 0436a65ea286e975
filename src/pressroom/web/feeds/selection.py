"""What each feed lists, newest first, and what it is called.

Every list reads ``Article.objects.visible()`` (the one visibility rule) and stops at
``LIMIT`` entries; a feed reader polls, so the newest are all it needs. Each loads its
articles with the publisher joined and the sections prefetched: a feed costs the same
few queries whatever its length (asserted in the tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from pressroom.store.models import Article, Publisher, Section
from pressroom.store.publishers import publisher_and_below
from pressroom.store.search import SearchError, search
from pressroom.web import i18n, links
from pressroom.web.feeds.entries import xml_text
from pressroom.web.feeds.search_params import BadParameter, SearchRequest
from pressroom.web.views.common import section_rows

LIMIT = 50
SITE = "Pressroom"
QUERY_IN_TITLE = 80  # characters of a search query shown in the feed's title
_PUBLISHER_FIELDS = ("id", "slug", "name_en", "name_ru", "name_kk")

LANGUAGE_TITLES = {
    "en": gettext_lazy("All news in English"),
    "ru": gettext_lazy("All news in Russian"),
    "kk": gettext_lazy("All news in Kazakh"),
}


@dataclass(frozen=True)
class Selection:
    """A feed's articles and the words around them (in the interface language)."""

    title: str
    description: str
    page: str  # the portal page showing the same list (path and query)
    articles: list[Article]


def _titled(name: str) -> str:
    return xml_text(f"{name} · {SITE}")


def _loaded(articles: QuerySet[Article]) -> list[Article]:
    """Everything an entry shows, in two queries: articles with publishers, then sections."""
    sections = Prefetch(
        "sections", queryset=Section.objects.only("id", "name", "name_ru", "name_kk")
    )
    return list(articles.select_related("publisher").defer("signature").prefetch_related(sections))


def _in_order(ids: list[int]) -> list[Article]:
    found = {a.pk: a for a in _loaded(Article.objects.visible().filter(pk__in=ids))}
    return [found[i] for i in ids if i in found]


def home() -> Selection:
    articles = _loaded(Article.objects.visible().newest_first()[:LIMIT])
    return Selection(
        _titled(gettext("Official news of Kazakhstan")),
        gettext(
            "Press releases of Kazakhstan's ministries, akimats, embassies and agencies, "
            "in English, Russian and Kazakh."
        ),
        reverse("portal:home"),
        articles,
    )


def section(slug: str) -> Selection:
    current = get_object_or_404(Section, slug=slug)
    ids = list(section_rows(current).values_list("article_id", flat=True)[:LIMIT])
    name = i18n.section_name(current)
    return Selection(
        _titled(name),
        xml_text(gettext("Section: %(name)s") % {"name": name}),
        links.section_url(current),
        _in_order(ids),
    )


def publisher(slug: str) -> Selection:
    current = get_object_or_404(Publisher.objects.only(*_PUBLISHER_FIELDS), slug=slug)
    ids = publisher_and_below(current.pk)
    listed = Article.objects.visible().filter(publisher_id__in=ids).newest_first()[:LIMIT]
    name = i18n.publisher_name(current)
    return Selection(
        _titled(name),
        xml_text(gettext("Publisher: %(name)s") % {"name": name}),
        links.publisher_url(current),
        _loaded(listed),
    )


def language(code: str) -> Selection:
    if code not in i18n.LANGUAGE_CODES:
        raise Http404(f"No language {code!r}.")
    articles = _loaded(Article.objects.visible().filter(lang=code).newest_first()[:LIMIT])
    return Selection(
        _titled(str(LANGUAGE_TITLES[code])),
        f"{gettext('Articles in:')} {i18n.LANGUAGE_NAMES[code]}",
        f"{reverse('portal:all_news')}?lang={code}",
        articles,
    )


def search_page(query_string: str) -> str:
    """The portal's search page with the same parameters."""
    path = reverse("portal:search")
    return f"{path}?{query_string}" if query_string else path


def searched(wanted: SearchRequest) -> Selection:
    """The newest articles matching a search (what the search page shows sorted by date)."""
    try:
        results = search(wanted.query, wanted.filters, sort="date", per_page=LIMIT)
    except SearchError as error:
        raise BadParameter(str(error)) from error
    query = " ".join(xml_text(wanted.query).split())
    if len(query) > QUERY_IN_TITLE:
        query = query[:QUERY_IN_TITLE].rstrip() + "…"
    title = gettext("Search: %(query)s") % {"query": query}
    return Selection(
        _titled(title),
        _describe(title, results.notes),
        search_page(wanted.query_string),
        _in_order([hit.id for hit in results.hits]),
    )


def _describe(title: str, notes: Iterable[str]) -> str:
    """The search's title and what the reader should know (an unknown section...)."""
    return xml_text(" ".join([title, *notes]))
