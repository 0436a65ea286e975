"""The search page: a query box and filters as a plain GET form, highlighted results.

Bad parameters (an unknown section, a date that is not one, page 0...) get the form
back with what is wrong, status 400 and no results: results with a filter silently
dropped would answer a question the reader did not ask. What a reader types in the
box never fails (the engine reads any text as words).

Caching: the shared page cache keys pages by their full URL, and there is no end to
the URLs a search page has. Result pages are therefore stored only within a budget of
``CACHED_PER_HOUR`` new pages per clock hour (and only for query strings up to
``CACHEABLE_QUERY_STRING`` characters); past it they are rendered for each request. With
the cache's 24-hour timeout that bounds search pages to a few thousand entries, however
many distinct searches arrive. The bare form (no query string) is always cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from types import SimpleNamespace
from typing import Any, NamedTuple, cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from pressroom.store.models import Article, Publisher, Section
from pressroom.store.search import Hit, SearchError, SearchResults, search
from pressroom.web import fragments, i18n, links
from pressroom.web.cache import mark_public, within_budget
from pressroom.web.pagination import NEIGHBOURS, PageLink
from pressroom.web.search_params import (
    MAX_QUERY_CHARS,
    PER_PAGE,
    SearchParams,
    parse,
)

CACHED_PER_HOUR = 200
CACHEABLE_QUERY_STRING = 300
KIND_ORDER = [kind for kind, _label in Publisher.Kind.choices]

# The notes ``search()`` returns, so that the catalogues carry a translation.
NOTES = (
    gettext_noop("Only the first words of a long query were used."),
    gettext_noop("The date range is empty."),
    gettext_noop("This search is too broad to finish in time: add a word or a filter."),
    gettext_noop("The search index is empty: run 'pressroom reindex'."),
)


class PublisherRow(NamedTuple):
    """What the page needs of a publisher: a row, not a model instance (the form lists
    every publisher; 600 instances cost 3 ms, their rows 0.8)."""

    slug: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str

    def name(self, lang: str) -> str:
        return i18n.publisher_name(cast(Publisher, self), lang)  # reads the same fields


@dataclass
class SearchPagination:
    """Numbered links over a search's pages, every parameter kept (the template is the
    list pages', with Previous/Next instead of Newer/Older)."""

    params: SearchParams
    number: int
    num_pages: int
    exact: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_url(self) -> str:
        return self.params.url(page=self.number - 1)

    @property
    def next_url(self) -> str:
        return self.params.url(page=self.number + 1)

    def links(self) -> list[PageLink]:
        last = self.num_pages
        wanted = {1, *range(self.number - NEIGHBOURS, self.number + NEIGHBOURS + 1)}
        if self.exact:
            wanted.add(last)
        links: list[PageLink] = []
        for n in sorted(n for n in wanted if 1 <= n <= last):
            if links and links[-1].number is not None and n - links[-1].number > 1:
                links.append(PageLink(None))
            links.append(PageLink(n, self.params.url(page=n), n == self.number))
        if not self.exact and last > self.number + NEIGHBOURS:
            links.append(PageLink(None))
        return links


def search_page(request: HttpRequest) -> HttpResponseBase:
    sections = list(
        Section.objects.order_by("position", "name").only(
            "id", "slug", "name", "name_ru", "name_kk"
        )
    )
    publishers = {
        row[0]: PublisherRow(*row)
        for row in Publisher.objects.values_list("slug", "kind", "name_en", "name_ru", "name_kk")
    }
    params, errors = parse(request.GET, {s.slug for s in sections}, publishers)
    context: dict[str, Any] = {
        "params": params,
        "errors": errors,
        "section_choices": [(s.slug, i18n.section_name(s)) for s in sections],
        "publisher_options": _publisher_options(publishers.values(), params.raw["publisher"]),
        "kind_choices": [(kind, i18n.kind_name(kind)) for kind in KIND_ORDER],
        "language_choices": [(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.LANGUAGE_CODES],
        "active_filters": _active_filters(params, sections, publishers),
        "max_query_chars": MAX_QUERY_CHARS,
        "notes": [gettext("Only the first %(count)s characters of the query were used.")
                  % {"count": _number(MAX_QUERY_CHARS)}] if params.query_cut else [],
    }  # fmt: skip
    status = 400 if errors else 200
    if params.q and not errors:
        try:
            results = search(params.q, params.filters(), params.sort, params.page, PER_PAGE)
        except SearchError as exc:  # the checks above should leave nothing for this
            errors["search"] = str(exc)
            status = 400
        else:
            status = _add_results(context, params, results, sections, publishers)
    response = render(request, "portal/search.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    if status == 200 and _may_cache(request):
        return mark_public(response)
    return response


def _may_cache(request: HttpRequest) -> bool:
    """Whether this result page may be stored: see the module docstring."""
    if not request.META.get("QUERY_STRING"):
        return True
    return within_budget(request, "search-pages", CACHED_PER_HOUR, CACHEABLE_QUERY_STRING)


def _add_results(
    context: dict[str, Any],
    params: SearchParams,
    results: SearchResults,
    sections: list[Section],
    publishers: dict[str, PublisherRow],
) -> int:
    """Put the results in the context; the status: 404 for a page past the last."""
    context["results"] = results
    context["notes"] = [*context["notes"], *(gettext(note) for note in results.notes)]
    context["hits"] = _shown_hits(results.hits, sections, publishers)
    context["total"] = _number(results.total)
    context["first_index"] = (results.page - 1) * results.per_page + 1
    context["last_index"] = (results.page - 1) * results.per_page + len(results.hits)
    context["pagination"] = SearchPagination(
        params, results.page, results.pages, results.total_exact
    )
    context["feed_url"] = feed_url(params)
    if results.total and not results.hits and results.page > results.pages:
        context["past_last_page"] = True
        return 404
    return 200


def feed_url(params: SearchParams) -> str:
    """The Atom feed of this search: its parameters but the page and the sort (a feed is
    always newest first, so both sorts of one search share one feed)."""
    try:
        base = reverse("feeds:search", kwargs={"fmt": "atom"})
    except NoReverseMatch:  # the feeds are mounted at this path (web/feeds)
        base = f"/{i18n.current_language()}/feeds/atom/search/"
    return f"{base}?{urlencode(params.items(page=False, sort=False))}"


def _shown_hits(
    hits: list[Hit], sections: list[Section], publishers: dict[str, PublisherRow]
) -> list[dict[str, Any]]:
    """What the page shows of each hit: links and names in the reader's language, the
    meta line the lists use (date, publisher, language mark, withdrawn label)."""
    lang = i18n.current_language()
    by_name = {s.name: s for s in sections}
    withdrawn = set(
        Article.objects.filter(id__in=[h.id for h in hits], withdrawn_at__isnull=False)
        .values_list("id", flat=True)
        .order_by()
    ) if hits else set()  # fmt: skip
    shown = []
    for hit in hits:
        article = SimpleNamespace(
            pk=hit.id,
            published=hit.published,
            publisher=publishers.get(hit.publisher or ""),
            lang=hit.lang,
            withdrawn_at=hit.id in withdrawn or None,
        )
        shown.append(
            {
                "lang": hit.lang,
                "url": links.article_url(article, lang),
                # The engine escapes the text and adds only <mark> (docs/search.md).
                "title_html": _trusted(hit.title_html),
                "snippet": _trusted(hit.snippet),
                "meta": fragments.meta(article, lang),
                "sections": [
                    {"name": i18n.section_name(s), "url": links.section_url(s, lang)}
                    for s in (by_name.get(name) for name in hit.sections)
                    if s is not None
                ],
            }
        )
    return shown


def _trusted(html: str) -> SafeString:
    return mark_safe(html)  # built by the search engine, every value escaped


def _publisher_options(publishers: Iterable[PublisherRow], selected: str) -> SafeString:
    """The publisher select's options, grouped by kind, names in the reader's language.

    Built here, every value escaped: there may be hundreds of publishers, and as a
    template loop they cost more than the search (measured: 600 options, 12 ms).
    """
    lang = i18n.current_language()
    groups: dict[str, list[tuple[str, str, str]]] = {kind: [] for kind in KIND_ORDER}
    for p in publishers:
        name = p.name(lang)
        groups.setdefault(p.kind, []).append((name.casefold(), name, p.slug))
    html = []
    for kind, members in groups.items():
        if not members:
            continue
        html.append(f'<optgroup label="{escape(i18n.kind_name(kind, plural=True))}">')
        for _key, name, slug in sorted(members):
            mark = " selected" if slug == selected else ""
            html.append(f'<option value="{escape(slug)}"{mark}>{escape(name)}</option>')
        html.append("</optgroup>")
    return mark_safe("\n".join(html))  # every value above is escaped


def _active_filters(
    params: SearchParams, sections: list[Section], publishers: dict[str, PublisherRow]
) -> list[dict[str, str]]:
    """Each filter in use, named for the reader, with a link to the search without it."""
    active: list[tuple[str, str, str]] = []
    if params.section:
        section = next(s for s in sections if s.slug == params.section)
        active.append(("section", gettext("Section"), i18n.section_name(section)))
    if params.publisher:
        publisher = publishers[params.publisher].name(i18n.current_language())
        active.append(("publisher", gettext("Publisher"), publisher))
    if params.kind:
        active.append(("kind", gettext("Kind of publisher"), i18n.kind_name(params.kind)))
    if params.lang:
        active.append(("lang", gettext("Language"), str(i18n.LANGUAGE_NAMES[params.lang])))
    if params.date_from:
        active.append(("from", gettext("From"), links.news_date(params.date_from)))
    if params.date_to:
        active.append(("to", gettext("To"), links.news_date(params.date_to)))
    return [
        {"name": name, "label": label, "value": value, "url": params.without(name)}
        for name, label, value in active
    ]


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)
