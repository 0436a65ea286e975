"""Where articles come from and how we keep up with them.

``Source`` is one thing we poll (a feed, a gov.kz publisher, an index page, a
listing, a sitemap) with its schedule and health. ``FetchState`` keeps the HTTP
validators of every URL we fetch, so an unchanged resource costs a 304.
``Recheck`` is the decaying schedule on which a stored article's page is fetched
again to catch edits and withdrawals. ``WorkerHeartbeat`` tells live workers from
dead ones, so a task left running by a killed worker is run again.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from pressroom.store.models import Article, Publisher


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "Feed (RSS, Atom, JSON Feed)"
        GOVKZ = "govkz", "gov.kz publisher (three language feeds and pages)"
        PAGE = "page", "Index page (article links are followed)"
        LISTING = "listing", "Listing text"
        SITEMAP = "sitemap", "Sitemap"

    url = models.URLField(max_length=1000, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FEED)
    name = models.CharField(max_length=300, blank=True, help_text="Title read from the source.")
    slug = models.SlugField(max_length=120, blank=True, help_text="gov.kz publisher slug.")
    publisher = models.ForeignKey(
        Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    sections = models.CharField(
        max_length=500, blank=True, help_text="Default sections, comma-separated."
    )
    languages = models.CharField(
        max_length=50, blank=True, help_text="Languages (kk,ru,en), comma-separated; empty: detect."
    )
    enabled = models.BooleanField(default=True, db_index=True)
    # schedule (seconds); the interval adapts between min and max
    min_interval = models.PositiveIntegerField(default=600)
    max_interval = models.PositiveIntegerField(default=86400)
    interval = models.PositiveIntegerField(default=3600)
    next_poll_at = models.DateTimeField(default=timezone.now, db_index=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A crawler holds this source until then."
    )
    # health
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_new_at = models.DateTimeField(null=True, blank=True, help_text="Last new article.")
    items_stored = models.PositiveIntegerField(default=0, help_text="New articles so far.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.url

    @property
    def section_list(self) -> list[str]:
        return [s.strip() for s in self.sections.split(",") if s.strip()]

    @property
    def language_list(self) -> list[str]:
        return [s.strip() for s in self.languages.split(",") if s.strip()]

    @property
    def healthy(self) -> bool:
        return self.consecutive_failures == 0


class FetchState(models.Model):
    """The last answer for one URL: its validators and whether it changed."""

    url = models.URLField(max_length=1000, unique=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="fetch_states"
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    body_hash = models.CharField(max_length=32, blank=True)
    last_status = models.IntegerField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    bytes_total = models.BigIntegerField(default=0, help_text="Body bytes received, all time.")


class Recheck(models.Model):
    """When to look at a stored article's page again (edits, withdrawal)."""

    class Method(models.TextChoices):
        PAGE = "page", "Extract the page and compare the text"
        STATUS = "status", "Only notice that the page is gone (the text came from a feed)"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="recheck")
    url = models.URLField(max_length=1000)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.PAGE)
    keep_title = models.BooleanField(
        default=True, help_text="The title came from a feed: compare the text only."
    )
    next_at = models.DateTimeField(default=timezone.now, db_index=True)
    interval = models.PositiveIntegerField(default=600)
    checks = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_status = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive; a task whose worker fell silent is run again."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.IntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    last_beat = models.DateTimeField(default=timezone.now, db_index=True)
