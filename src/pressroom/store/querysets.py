"""What readers may see: the one visibility rule every page, feed, API and search uses.

An editor hides an article by setting ``Article.hidden``; a hidden article must vanish
from every list, page and count at once. Withdrawn articles (the original disappeared,
``withdrawn_at`` is set) stay visible and are labelled, so they are *not* filtered here.
Write every public query as ``Article.objects.visible()...`` (or filter a table that
mirrors ``hidden`` with ``visible_q()``) and the rule lives in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Substr

if TYPE_CHECKING:
    from pressroom.store.models import Article

# Fields a list item needs; the body is read only as far as its first sentence.
LIST_FIELDS = (
    "id",
    "title",
    "lang",
    "published",
    "truncated",
    "withdrawn_at",
    "publisher__id",
    "publisher__slug",
    "publisher__name_en",
    "publisher__name_ru",
    "publisher__name_kk",
    "publisher__kind",
)
LEAD_CHARS = 400


def visible_q(prefix: str = "") -> models.Q:
    """The visibility rule as a filter, for ``Article`` or a table that mirrors its ``hidden``.

    The list indexes are partial indexes on this same condition, so a query that uses
    the rule can walk them (SQLite and PostgreSQL both match the condition as written).
    """
    return models.Q(**{f"{prefix}hidden": False})


class ArticleQuerySet(models.QuerySet["Article"]):
    def visible(self) -> ArticleQuerySet:
        """Articles readers may see: everything an editor has not hidden."""
        return self.filter(visible_q())

    def translations_of(self, article: Article) -> list[Article]:
        """The same original in the publisher's other languages: gov.kz source keys end in
        ``:<lang>`` and differ only there (id, title and lang loaded; by language)."""
        from django.conf import settings

        stem, _sep, lang = (article.source_key or "").rpartition(":")
        if not stem or lang != article.lang:
            return []
        others = [f"{stem}:{code}" for code, _name in settings.LANGUAGES if code != lang]
        return list(self.filter(source_key__in=others).only("id", "title", "lang").order_by("lang"))

    def newest_first(self) -> ArticleQuerySet:
        """The public order: newest date first, then newest stored first (a total order)."""
        return self.order_by("-published", "-id")

    def for_list(self) -> ArticleQuerySet:
        """Just what a list item shows: no full body, no signature, the publisher joined."""
        return (
            self.select_related("publisher")
            .only(*LIST_FIELDS)
            .annotate(lead=Substr("body", 1, LEAD_CHARS))
        )

    def in_language(self, lang: str | None) -> ArticleQuerySet:
        return self.filter(lang=lang) if lang else self


class ArticleManager(models.Manager["Article"]):
    """``Article.objects``: every query starts from ``ArticleQuerySet``.

    A manager class (rather than ``ArticleQuerySet.as_manager()``) keeps the type
    checker's view of ordinary chains (``.annotate()`` and friends) unchanged.
    """

    def get_queryset(self) -> ArticleQuerySet:
        return ArticleQuerySet(self.model, using=self._db)

    def visible(self) -> ArticleQuerySet:
        return self.get_queryset().visible()
