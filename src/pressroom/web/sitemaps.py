"""The sitemaps: what search engines should crawl, in pages that stay cheap at millions of articles.

``/sitemap.xml`` is a sitemap index; each child is ``/sitemap-<name>-<page>.xml``:

- ``pages``, ``sections``, ``publishers``: Django's ``Sitemap`` (``django.contrib.sitemaps``)
  with ``i18n`` and ``alternates``: every such page exists under each interface language,
  so each is listed once per language with ``hreflang`` links to the others (and
  ``x-default`` to the English one, as the pages' own ``<head>`` says). These lists are
  small; Django's paginator (a count and an offset) is fine for them.
- ``articles``: **id blocks**. Page *p* holds the visible articles with ids in
  ``((p-1)·size, p·size]``: one primary-key range scan, never an OFFSET and never a count.
  The index lists blocks from the first to the last visible id (two index look-ups), so
  it costs the same at a thousand articles and at ten million. An article stays in its
  block for ever (ids are never reused), so a crawler's copy of an old block stays
  valid until something in it changes. Hiding only removes rows, so no page ever holds
  more than ``size`` URLs.
- ``news``: a Google News sitemap of the last two days' articles (at most 1,000, its limit).

Article URLs are canonical: ``/<article language>/article/<id>/`` (the English interface
for a language the interface does not have). The portal shows every article under each
interface language, but those are the same story with different navigation; the page's
``<link rel="canonical">`` names the same URL. ``hreflang`` alternates of an article are
its *translations* (the same original in the publisher's other languages), only when
there are some.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import InvalidPage
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat, Left, Length
from django.urls import reverse
from django.utils import timezone

from pressroom.store.models import Article, Publisher, Section
from pressroom.store.querysets import ArticleQuerySet
from pressroom.web import links
from pressroom.web.i18n import LANGUAGE_CODES

DEFAULT_SIZE = 50_000  # the protocol's limit of URLs per sitemap
NEWS_LIMIT = 1_000  # Google News: at most 1,000 URLs per news sitemap
NEWS_DAYS = 2  # Google News: articles of the last two days
PUBLICATION_NAME = "Pressroom"


def page_size() -> int:
    """URLs per child sitemap: the Django setting ``PRESSROOM_SITEMAP_SIZE`` (tests lower it)."""
    size = int(getattr(settings, "PRESSROOM_SITEMAP_SIZE", DEFAULT_SIZE))
    if not 1 <= size <= DEFAULT_SIZE:
        raise ValueError(f"PRESSROOM_SITEMAP_SIZE must be 1..{DEFAULT_SIZE}, not {size}")
    return size


def canonical_language(lang: str) -> str:
    """The interface language an article's canonical URL uses: its own, if the portal has it."""
    return lang if lang in LANGUAGE_CODES else settings.LANGUAGE_CODE


def article_path(pk: int, lang: str) -> str:
    """The canonical path of an article (see the module docstring)."""
    return links.url("portal:article", pk, canonical_language(lang))


def _article_paths() -> dict[str, tuple[str, str]]:
    """Per interface language, an article path's text before and after the id.

    A sitemap page makes tens of thousands of paths; an integer id needs no quoting.
    """
    marker = 987654321
    paths = {}
    for code in LANGUAGE_CODES:
        before, _marker, after = article_path(marker, code).partition(str(marker))
        paths[code] = (before, after)
    return paths


@dataclass(frozen=True)
class News:
    """What a Google News entry adds to a URL."""

    title: str
    language: str
    published: dt.date


class Entry(NamedTuple):
    """One ``<url>`` of a sitemap; every address absolute (a tuple: pages make 50,000)."""

    loc: str
    lastmod: dt.datetime | dt.date | None = None
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, href)
    news: News | None = None


class NoSuchPage(Exception):
    """The page is not one the index lists: the view answers 404."""


# -- the small lists: Django's Sitemap with a URL per interface language --------------------


class _PortalSitemap(Sitemap):
    i18n = True
    alternates = True

    def __init__(self, size: int) -> None:
        self.limit = size


class PagesSitemap(_PortalSitemap):
    """The fixed pages: home, all news, the publisher directory, the archive."""

    changefreq = "hourly"
    names = ("portal:home", "portal:all_news", "portal:publishers", "portal:archive")

    def items(self) -> list[str]:
        return list(self.names)

    def location(self, item: str) -> str:
        return reverse(item)  # the language prefix is the active one (Sitemap sets it)


class SectionsSitemap(_PortalSitemap):
    """Sections that list at least one visible article."""

    changefreq = "hourly"

    def items(self) -> list[Section]:
        shown = Article.objects.visible().filter(sections=OuterRef("pk"))
        return list(Section.objects.filter(Exists(shown)).order_by("pk").only("id", "slug"))

    def location(self, item: Section) -> str:
        return links.section_url(item)


class PublishersSitemap(_PortalSitemap):
    """Publishers with at least one visible article (one index look-up each)."""

    changefreq = "daily"

    def items(self) -> list[Publisher]:
        shown = Article.objects.visible().filter(publisher=OuterRef("pk"))
        return list(Publisher.objects.filter(Exists(shown)).order_by("pk").only("id", "slug"))

    def location(self, item: Publisher) -> str:
        return links.publisher_url(item)


def _django_entries(sitemap: Sitemap, page: int, base: str) -> list[Entry]:
    scheme, _sep, host = base.partition("://")
    try:
        infos: list[dict[str, Any]] = sitemap.get_urls(page=page, site=_Site(host), protocol=scheme)
    except InvalidPage as exc:
        raise NoSuchPage(str(exc)) from exc
    entries = []
    for info in infos:
        alternates = [(a["lang_code"], a["location"]) for a in info["alternates"]]
        default = [href for code, href in alternates if code == settings.LANGUAGE_CODE]
        alternates += [("x-default", href) for href in default]
        entries.append(Entry(info["location"], info["lastmod"], tuple(alternates)))
    return entries


class _Site(RequestSite):
    """What ``Sitemap.get_urls`` wants of a site: its domain (here, the request's host)."""

    def __init__(self, host: str) -> None:
        self.domain = self.name = host


# -- articles: id blocks ------------------------------------------------------------------


class ArticleBlocks:
    """The visible articles in id blocks of ``size``: see the module docstring."""

    def __init__(self, size: int) -> None:
        self.size = size

    def block(self, pk: int) -> int:
        return (pk - 1) // self.size + 1

    def pages(self) -> range:
        """The blocks from the first visible article's to the last one's: two index look-ups."""
        ids = Article.objects.visible().values_list("id", flat=True)
        first = ids.order_by("id").first()
        last = ids.order_by("-id").first()
        if first is None or last is None:
            return range(0)
        return range(self.block(first), self.block(last) + 1)

    def entries(self, page: int, base: str) -> list[Entry]:
        rows = self._rows(page)
        if not rows and page not in self.pages():
            raise NoSuchPage(f"no articles sitemap {page}")
        paths = {code: (base + before, after) for code, (before, after) in _article_paths().items()}
        return [self._entry(row, paths) for row in rows]

    def _rows(self, page: int) -> list[tuple[Any, ...]]:
        """One range scan of the primary key; each translation is one unique-index look-up.

        PostgreSQL's planner costs the 150,000 look-ups of a full page high enough to JIT-
        compile the query, which takes longer than running it (1.7 s of 2.5 s measured at
        a million articles): JIT is off for this one transaction.
        """
        low = (page - 1) * self.size
        rows = (
            Article.objects.visible()
            .filter(id__gt=low, id__lte=low + self.size)
            .order_by("id")
            .annotate(**_translation_ids())
            .values_list(
                "id", "lang", "updated_at", "source_key", *(f"in_{c}" for c in LANGUAGE_CODES)
            )
        )
        if connection.vendor != "postgresql":
            return list(rows.iterator(chunk_size=5000))
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            return list(rows.iterator(chunk_size=5000))

    def _entry(self, row: tuple[Any, ...], paths: dict[str, tuple[str, str]]) -> Entry:
        pk, lang, updated_at, source_key, *others = row
        before, after = paths.get(lang) or paths[settings.LANGUAGE_CODE]
        loc = f"{before}{pk}{after}"
        # Translations only when the key is the publisher's "...:<lang>" of this article
        # (the rule of ArticleQuerySet.translations_of).
        if not source_key or not source_key.endswith(f":{lang}"):
            return Entry(loc, updated_at)
        found = [
            (code, other)
            for code, other in zip(LANGUAGE_CODES, others, strict=True)
            if other is not None and other != pk
        ]
        if not found:
            return Entry(loc, updated_at)
        alternates = [(lang, loc)]
        alternates += [(code, f"{paths[code][0]}{o}{paths[code][1]}") for code, o in found]
        return Entry(loc, updated_at, tuple(sorted(alternates, key=_language_order)))


def _language_order(alternate: tuple[str, str]) -> int:
    code = alternate[0]
    return LANGUAGE_CODES.index(code) if code in LANGUAGE_CODES else len(LANGUAGE_CODES)


def _translation_ids() -> dict[str, Case]:
    """``in_<code>``: the visible article whose source key is this one's in language ``code``.

    ``publisher:id:ru`` -> ``publisher:id:`` + code, by the unique index on ``source_key``.
    """
    stem = Left(OuterRef("source_key"), Length(OuterRef("source_key")) - 2)
    return {
        f"in_{code}": Case(
            # Not the article's own language (that would find the article itself).
            When(lang=code, then=Value(None)),
            default=Subquery(
                Article.objects.visible()
                .filter(source_key=Concat(stem, Value(code), output_field=CharField()))
                .order_by()
                .values("id")[:1]
            ),
            output_field=IntegerField(),
        )
        for code in LANGUAGE_CODES
    }


# -- Google News --------------------------------------------------------------------------


class NewsSitemap:
    """Articles published in the last two days (today and yesterday, local time), newest first."""

    def _recent(self) -> ArticleQuerySet:
        since = timezone.localdate() - dt.timedelta(days=NEWS_DAYS - 1)
        return Article.objects.visible().filter(published__gte=since)

    def pages(self) -> range:
        """One page if there is recent news (a look-up in the list index), else none."""
        return range(1, 2) if self._recent().exists() else range(0)

    def entries(self, page: int, base: str) -> list[Entry]:
        if page != 1:
            raise NoSuchPage(f"no news sitemap {page}")
        rows = (
            self._recent()
            .newest_first()
            .values_list("id", "lang", "title", "published", "updated_at")[:NEWS_LIMIT]
        )
        entries = [
            Entry(base + article_path(pk, lang), updated, news=News(title, lang, published))
            for pk, lang, title, published, updated in rows
        ]
        if not entries:
            raise NoSuchPage("no news of the last two days")
        return entries


# -- all of them ----------------------------------------------------------------------------


class Child:
    """One named child sitemap: its page numbers (for the index) and a page's entries."""

    def __init__(self, name: str, source: Any) -> None:
        self.name = name
        self.source = source

    def pages(self) -> range:
        if isinstance(self.source, Sitemap):
            paginator = self.source.paginator
            return range(1, paginator.num_pages + 1) if paginator.count else range(0)
        pages: range = self.source.pages()
        return pages

    def entries(self, page: int, base: str) -> list[Entry]:
        if isinstance(self.source, Sitemap):
            if page < 1:
                raise NoSuchPage(f"no {self.name} sitemap {page}")
            entries = _django_entries(self.source, page, base)
            if not entries:  # page 1 of an empty list: the index does not list it
                raise NoSuchPage(f"no {self.name} sitemap {page}")
            return entries
        found: list[Entry] = self.source.entries(page, base)
        return found


def children(size: int | None = None) -> dict[str, Child]:
    """Every child sitemap, in the order the index lists them."""
    size = size or page_size()
    return {
        child.name: child
        for child in (
            Child("pages", PagesSitemap(size)),
            Child("sections", SectionsSitemap(size)),
            Child("publishers", PublishersSitemap(size)),
            Child("articles", ArticleBlocks(size)),
            Child("news", NewsSitemap()),
        )
    }
