"""The portal's own table: section lists in display order, kept by the database itself.

A section page lists the section's visible articles newest first, in numbered pages.
The article-section link table knows nothing of dates, so page 500 of a large
section would mean walking the articles and probing the links one by one (tens of
milliseconds at 100k articles). ``SectionListing`` holds one row per link with the
article's date, language and ``hidden`` flag, indexed in display order, so a page,
its count and its offset are one index walk.

Rows are written by triggers on ``pressroom_article_sections`` and ``pressroom_article``
(see migration 0001), not by Python: every writer (ingest, the admin, a bulk
update, a shell) keeps it right without knowing it exists. It is derived data: the
pages still fetch articles through ``Article.objects.visible()``.
"""

from __future__ import annotations

from django.db import models

from pressroom.store.models import Article, Section
from pressroom.store.querysets import visible_q


class SectionListingQuerySet(models.QuerySet["SectionListing"]):
    def visible(self) -> SectionListingQuerySet:
        return self.filter(visible_q())


class SectionListing(models.Model):
    id = models.BigIntegerField(primary_key=True, help_text="The article-section link's id.")
    section = models.ForeignKey(
        Section, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    article = models.ForeignKey(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    published = models.DateField()
    lang = models.CharField(max_length=2)
    hidden = models.BooleanField()

    objects = SectionListingQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["section", "published", "article", "id"],
                condition=visible_q(),
                name="listing_order",
            ),
            models.Index(
                fields=["section", "lang", "published", "article", "id"],
                condition=visible_q(),
                name="listing_lang_order",
            ),
        ]

    def __str__(self) -> str:
        return f"section {self.section_id}: article {self.article_id}"
