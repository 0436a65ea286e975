"""What list pages share: the language filter and snapshot pages of articles."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest

from pressroom.store.models import Article, Section
from pressroom.store.querysets import ArticleQuerySet
from pressroom.web.i18n import LANGUAGE_CODES, LANGUAGE_NAMES, language_filter
from pressroom.web.models import SectionListing
from pressroom.web.pagination import Page, newest_id, paginate


def lang_param(request: HttpRequest) -> str | None:
    return language_filter(request.GET.get("lang"))


def language_choices(lang: str | None) -> list[dict[str, Any]]:
    """The links of a list's language filter: every language, then each one."""
    choices: list[dict[str, Any]] = [{"code": "", "url": ".", "current": lang is None}]
    for code in LANGUAGE_CODES:
        choices.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "url": f"?lang={code}",
                "current": lang == code,
            }
        )
    return choices


def up_to(rows: QuerySet[Any], upto: int) -> QuerySet[Any]:
    """The rows of a snapshot: ``id <= upto``, written as ``id + 0 <= upto``.

    As a plain primary-key range, SQLite takes it for the best way into the table and
    scans the whole table (then sorts) instead of walking the list's index; as an
    expression it is only checked on the rows the index yields.
    """
    return rows.alias(snapshot_row=F("id") + 0).filter(snapshot_row__lte=upto)


def _context(page: Page, lang: str | None) -> dict[str, Any]:
    return {"page": page, "lang_filter": lang, "language_choices": language_choices(lang)}


def article_page(request: HttpRequest, articles: ArticleQuerySet) -> tuple[Page, dict[str, Any]]:
    """Page N of a newest-first list of visible ``articles``, by ``?lang=``, as of ``?upto=``."""
    lang = lang_param(request)

    def listed(upto: int) -> QuerySet[Any]:
        snapshot: ArticleQuerySet = up_to(articles.in_language(lang), upto)  # type: ignore[assignment]
        return snapshot.for_list().newest_first()

    page = paginate(
        request.GET, listed, newest_id(Article.objects.all()), {"lang": lang} if lang else {}
    )
    return page, _context(page, lang)


def section_rows(section: Section, lang: str | None = None) -> QuerySet[SectionListing]:
    """A section's visible articles in display order, as listing rows (an index walk)."""
    rows = SectionListing.objects.visible().filter(section=section)
    if lang:
        rows = rows.filter(lang=lang)
    return rows.order_by("-published", "-article_id")


def load_articles(article_ids: list[int]) -> list[Article]:
    """List items for these ids, in this order; the visibility rule applies once more."""
    found = Article.objects.visible().for_list().in_bulk(article_ids)
    return [found[i] for i in article_ids if i in found]


def section_page(request: HttpRequest, section: Section) -> tuple[Page, dict[str, Any]]:
    """Page N of a section, as of the newest article-section link when it was first shown."""
    lang = lang_param(request)

    def listed(upto: int) -> QuerySet[Any]:
        return up_to(section_rows(section, lang), upto).values_list("article_id", flat=True)

    page = paginate(
        request.GET,
        listed,
        newest_id(Article.sections.through.objects.all()),
        {"lang": lang} if lang else {},
        load=load_articles,
    )
    return page, _context(page, lang)
