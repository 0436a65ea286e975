"""The data model: canonical articles and every copy of them that was ever read.

An ``Article`` is one story in one language. Each time an input shows that story
we keep a ``Sighting`` (raw text, where it stood), so merging never throws away
what was read; when the text of an article changes the old text becomes a
``Version``. ``Fingerprint`` and ``BandKey`` are the de-duplication indexes: they
live in tables, not in memory, so every process sharing a database shares them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pressroom.store.querysets import ArticleManager, visible_q

PARAGRAPH_SEPARATOR = "\n\n"
VISIBLE = visible_q()


class Publisher(models.Model):
    """Who issued a release: a ministry, an embassy, an akimat or one of their departments."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Ministry"
        EMBASSY = "embassy", "Embassy"
        AKIMAT = "akimat", "Akimat"
        AGENCY = "agency", "Agency"
        DEPARTMENT = "department", "Department"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=120, unique=True)
    name_en = models.CharField(max_length=300, blank=True)
    name_ru = models.CharField(max_length=300, blank=True)
    name_kk = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    home_url = models.URLField(max_length=500, blank=True)
    region = models.CharField(max_length=120, blank=True, help_text="Oblast or city, if local.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_en or self.slug


class Section(models.Model):
    """A heading articles are listed under ("News", "Society" ...), ordered on the home page."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=120, help_text="The name as shown on source pages.")
    name_ru = models.CharField(max_length=120, blank=True)
    name_kk = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField(default=1000)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """The canonical text of one story in one language."""

    title = models.TextField()
    body = models.TextField(blank=True, help_text="Paragraphs separated by a blank line.")
    lang = models.CharField(max_length=2, db_index=True)
    published = models.DateField(db_index=True)
    publisher = models.ForeignKey(
        Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    sections = models.ManyToManyField(Section, blank=True, related_name="articles")
    source_url = models.URLField(max_length=1000, null=True, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    source_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="publisher:id:lang of the original; one article per original and language.",
    )
    fingerprint = models.CharField(max_length=32, db_index=True)
    title_key = models.CharField(max_length=32, db_index=True)
    signature = models.BinaryField(blank=True, default=b"")
    truncated = models.BooleanField(
        default=False, help_text="Only the beginning of the text is known so far."
    )
    # Indexed with the list order below (article_visible_order), not alone.
    hidden = models.BooleanField(default=False, help_text="Hidden by an editor.")
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="When the original disappeared; the article is kept."
    )
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published", "-id"]
        indexes = [
            models.Index(fields=["published", "id"], name="article_published_id"),
            # The portal's lists: visible articles newest first, overall, by language and by
            # publisher (an index walk with no sort, whatever the page number). Partial, on
            # the visibility rule (querysets.visible_q), so that a look-up by id never
            # prefers them.
            models.Index(
                fields=["published", "id"], condition=VISIBLE, name="article_visible_order"
            ),
            models.Index(
                fields=["lang", "published", "id"], condition=VISIBLE, name="article_lang_order"
            ),
            models.Index(
                fields=["publisher", "published", "id"],
                condition=VISIBLE,
                name="article_publisher_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split(PARAGRAPH_SEPARATOR) if p]


class Fingerprint(models.Model):
    """Every exact-text fingerprint seen for an article; its unique index is the exact-copy test."""

    value = models.CharField(max_length=32, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="fingerprints")


class BandKey(models.Model):
    """MinHash LSH band keys: articles sharing a key are near-duplicate candidates.

    The primary key is (key, article): looked up by key, and on SQLite the table is
    that index itself (``WITHOUT ROWID``, migration 0007), since each ingested item
    inserts ~25 keys and every other index on them would cost each insert its upkeep."""

    pk = models.CompositePrimaryKey("key", "article")
    key = models.BigIntegerField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="band_keys")


class IngestRun(models.Model):
    """One run of ``pressroom ingest`` (or a crawl): what it read and what it did."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    inputs = models.TextField(blank=True)
    items = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    errors = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]


class Sighting(models.Model):
    """One copy of a story as read from one input; never deleted by merging."""

    key = models.CharField(max_length=32, unique=True, help_text="Digest of section and raw text.")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sightings")
    run = models.ForeignKey(IngestRun, null=True, blank=True, on_delete=models.SET_NULL)
    input_name = models.CharField(max_length=1000, blank=True)
    page_url = models.URLField(max_length=1000, null=True, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    end_line = models.PositiveIntegerField(null=True, blank=True)
    section_name = models.CharField(max_length=120, blank=True)
    source_url = models.URLField(max_length=1000, null=True, blank=True)
    raw = models.TextField()
    fingerprint = models.CharField(max_length=32)
    match = models.CharField(
        max_length=12, help_text="How it was matched: new, source, exact, near, prefix."
    )
    truncated = models.BooleanField(default=False)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seen_at", "id"]


class Version(models.Model):
    """An earlier text of an article, kept when a newer edit replaced it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    title = models.TextField()
    body = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=32)
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        Sighting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-replaced_at", "-id"]


class QuarantinedItem(models.Model):
    """An input item that could not be stored, with why and where, to be fixed and re-ingested."""

    key = models.CharField(max_length=32, unique=True, help_text="Digest of reason and raw text.")
    run = models.ForeignKey(IngestRun, null=True, blank=True, on_delete=models.SET_NULL)
    input_name = models.CharField(max_length=1000, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    end_line = models.PositiveIntegerField(null=True, blank=True)
    section_name = models.CharField(max_length=120, blank=True)
    raw = models.TextField()
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
