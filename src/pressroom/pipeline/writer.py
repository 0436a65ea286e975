"""Store candidates: new articles, or more sightings of known stories, a batch at a time.

Every candidate leaves a ``Sighting`` with its raw text, whatever else is decided, so
merging never loses what was read. A batch is decided in memory against one snapshot
of the keys it touches (``match.Known``) and written with a few set statements, which
is what makes ingest fast. The caller owns the transaction.

Concurrent writers: on PostgreSQL every batch first takes one transaction-scoped
advisory lock, so batches of different processes are decided one after the other
(fetching and parsing still run in parallel); on SQLite the ``BEGIN IMMEDIATE`` write
lock does the same.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.text import slugify

from pressroom.parsing.govkz import guess_parent_slug, guess_publisher_kind
from pressroom.pipeline import locks
from pressroom.pipeline import rows as row_sql
from pressroom.pipeline.candidate import Candidate
from pressroom.pipeline.match import Known, Match, find_match
from pressroom.store.models import (
    Article,
    BandKey,
    Fingerprint,
    IngestRun,
    Publisher,
    Section,
    Sighting,
    Version,
)
from pressroom.store.search import indexing as search_index
from pressroom.store.signals import articles_changed

_ARTICLE_FIELDS = [
    "title",
    "body",
    "fingerprint",
    "title_key",
    "signature",
    "truncated",
    "updated_at",
    "last_seen",
    "source_key",
    "source_url",
    "source_id",
    "publisher",
]


class Outcome(enum.StrEnum):
    NEW = "new"  # a story not seen before
    MERGED = "merged"  # one more copy of a known story; its text stays
    UPDATED = "updated"  # a known story whose text was replaced (edit, better or complete copy)
    UNCHANGED = "unchanged"  # this very copy was stored before
    REJECTED = "rejected"  # quarantined


@dataclass(frozen=True, slots=True)
class Written:
    outcome: Outcome
    article: Article | None  # None when the copy was stored before


@dataclass
class _Batch:
    """What one batch will write, collected while deciding."""

    new: list[Article] = field(default_factory=list)
    seen_again: set[int] = field(default_factory=set)  # stored articles: only last_seen moves
    rewritten: dict[int, Article] = field(default_factory=dict)  # stored, text or source changed
    reindex: dict[int, Article] = field(default_factory=dict)
    sightings: list[Sighting] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    fingerprints: list[tuple[Article, str]] = field(default_factory=list)
    bands: list[tuple[Article, tuple[int, ...]]] = field(default_factory=list)
    sections: list[tuple[Article, Section]] = field(default_factory=list)


@dataclass
class ArticleWriter:
    """Writes candidates for one run, caching sections and publishers it has resolved."""

    run: IngestRun | None = None
    _sections: dict[str, Section] = field(default_factory=dict)
    _publishers: dict[str, Publisher] = field(default_factory=dict)

    def write(self, c: Candidate) -> Outcome:
        """One candidate (a batch of one)."""
        return self.write_many([c])[0].outcome

    def write_many(self, candidates: Sequence[Candidate]) -> list[Written]:
        """Decide every candidate in order, as if written one by one, then write them all."""
        locks.lock_writers()
        known = Known.load(candidates)
        batch = _Batch()
        written = [self._decide(c, known, batch) for c in candidates]
        self._flush(batch)
        if any(w.outcome is not Outcome.UNCHANGED for w in written):
            articles_changed.send(sender=ArticleWriter)  # e.g. cached pages go stale
        return written

    def add_sections(self, article: Article, names: list[str]) -> None:
        """File an article under more sections (a source's further default sections)."""
        for name in names:
            article.sections.add(self._section(name))

    def forget(self) -> None:
        """Drop cached rows: after a rollback they may no longer exist."""
        self._sections.clear()
        self._publishers.clear()

    # -- deciding -----------------------------------------------------------------------------

    def _decide(self, c: Candidate, known: Known, batch: _Batch) -> Written:
        if c.sighting_key in known.sightings:
            return Written(Outcome.UNCHANGED, None)
        match = find_match(c, known)
        if match is None:
            article = self._new_article(c)
            batch.new.append(article)
            outcome = Outcome.NEW
            sighting = self._sighting(article, c, "new")
        else:
            article = match.article
            sighting = self._sighting(article, c, match.how)
            outcome = self._merge(article, c, match, sighting, batch)
        batch.sightings.append(sighting)
        if outcome is not Outcome.MERGED or c.fingerprint != article.fingerprint:
            batch.fingerprints.append((article, c.fingerprint))
            if c.band_keys and not c.truncated:
                batch.bands.append((article, c.band_keys))
        if c.section:
            batch.sections.append((article, self._section(c.section)))
        known.add(article, c)
        return Written(outcome, article)

    def _new_article(self, c: Candidate) -> Article:
        now = timezone.now()
        return Article(
            title=c.title,
            body=c.body,
            lang=c.lang,
            published=c.published,
            publisher=self._publisher(c.source.slug if c.source else c.publisher_slug),
            source_url=c.source_url,
            source_id=c.source.news_id if c.source else None,
            source_key=c.source_key,
            fingerprint=c.fingerprint,
            title_key=c.title_key,
            signature=c.signature,
            truncated=c.truncated,
            first_seen=now,
            last_seen=now,
            updated_at=now,
        )

    def _merge(
        self, article: Article, c: Candidate, match: Match, sighting: Sighting, batch: _Batch
    ) -> Outcome:
        changed = self._adopt_missing_source(article, c, batch)
        if c.fingerprint == article.fingerprint:
            replace = c.quality > _stored_quality(article)  # same text, keep the fuller copy
        elif article.truncated and not c.truncated:
            replace = True  # a complete copy of a text we only had the beginning of
        elif match.how == "source" and not c.truncated:
            # The publisher edited its item: keep what it said before.
            batch.versions.append(
                Version(
                    article=article,
                    title=article.title,
                    body=article.body,
                    fingerprint=article.fingerprint,
                    replaced_by=sighting,
                )
            )
            replace = True
        else:
            replace = False  # a near copy or an older text: the stored text stays
        if replace:
            _replace_text(article, c)
            batch.reindex[id(article)] = article  # the new text must be what search finds
        article.last_seen = timezone.now()
        if article.pk is not None:
            if changed or replace:
                batch.rewritten[id(article)] = article
            else:
                batch.seen_again.add(article.pk)
        return Outcome.UPDATED if changed or replace else Outcome.MERGED

    def _adopt_missing_source(self, article: Article, c: Candidate, batch: _Batch) -> bool:
        """A copy that names its original fills in what an anonymous copy lacked."""
        if article.source_key or c.source_key is None or c.source is None:
            return False
        if Article.objects.filter(source_key=c.source_key).exists() or any(
            a.source_key == c.source_key for a in batch.new
        ):
            return False
        article.source_key = c.source_key
        article.source_url = c.source_url
        article.source_id = c.source.news_id
        article.publisher = self._publisher(c.source.slug)
        return True

    def _sighting(self, article: Article, c: Candidate, how: str) -> Sighting:
        return Sighting(
            key=c.sighting_key,
            article=article,
            run=self.run,
            input_name=c.input_name[:1000],
            page_url=c.page_url,
            line=c.line,
            end_line=c.end_line,
            section_name=(c.section or "")[:120],
            source_url=c.source_url,
            raw=c.raw,
            fingerprint=c.fingerprint,
            match=how,
            truncated=c.truncated,
        )

    # -- writing ------------------------------------------------------------------------------

    def _flush(self, batch: _Batch) -> None:
        """Write what the batch decided: articles first (they get their ids), then the rest."""
        row_sql.insert_returning_ids(Article, batch.new)
        for article in batch.rewritten.values():  # few: edits, better and completed copies
            article.save(update_fields=_ARTICLE_FIELDS)
        seen_again = batch.seen_again - {a.pk for a in batch.rewritten.values()}
        if seen_again:  # most merges: one statement, not a CASE per column and row
            Article.objects.filter(pk__in=seen_again).update(last_seen=timezone.now())
        row_sql.insert(Sighting, batch.sightings)
        if batch.versions:  # few (edits): they point at sightings, which need their ids
            row_sql.fetch_ids(Sighting, "key", [v.replaced_by for v in batch.versions])
            Version.objects.bulk_create(batch.versions)
        _insert_ignoring_duplicates(
            Fingerprint, ("value", "article_id"), [(fp, a.pk) for a, fp in batch.fingerprints]
        )
        # In key order: neighbouring keys share index pages, so the pages each batch
        # touches (and writes at COMMIT) are fewer than in random order.
        _insert_ignoring_duplicates(
            BandKey,
            ("key", "article_id"),
            sorted([(k, a.pk) for a, keys in batch.bands for k in keys]),
        )
        links = [(a.pk, s.pk) for a, s in batch.sections]
        # Stored articles filed under one more section: their index rows step out while the
        # links go in and come back in one write (a trigger would rewrite them one by one).
        detached = search_index.detach(_gaining_sections(links, {a.pk for a in batch.new}))
        _insert_ignoring_duplicates(Article.sections.through, ("article_id", "section_id"), links)
        for article in batch.new:
            batch.reindex.pop(id(article), None)
        reanalysed = {a.pk for a in batch.reindex.values()}  # new text: a new row anyway
        search_index.index_articles(
            batch.new + list(batch.reindex.values()),
            restore=[r for r in detached if r.article_id not in reanalysed],
        )

    # -- reference data -----------------------------------------------------------------------

    def _section(self, name: str) -> Section:
        slug = slugify(name, allow_unicode=True)[:120] or "section"
        section = self._sections.get(slug)
        if section is None:
            order = [s.casefold() for s in settings.PRESSROOM_SECTIONS]
            position = order.index(name.casefold()) if name.casefold() in order else 1000
            section, _ = Section.objects.get_or_create(
                slug=slug, defaults={"name": name[:120], "position": position}
            )
            self._sections[slug] = section
        return section

    def _publisher(self, slug: str | None) -> Publisher | None:
        if not slug:
            return None
        publisher = self._publishers.get(slug)
        if publisher is None:
            parent_slug = guess_parent_slug(slug)
            parent = self._publisher(parent_slug) if parent_slug and parent_slug != slug else None
            publisher, _ = Publisher.objects.get_or_create(
                slug=slug,
                defaults={
                    "kind": guess_publisher_kind(slug),
                    "parent": parent,
                    "home_url": f"https://www.gov.kz/memleket/entities/{slug}",
                },
            )
            self._publishers[slug] = publisher
        return publisher


def _insert_ignoring_duplicates(
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Plain ``INSERT ... ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL): index rows are
    written for every article, and building model instances for them cost more than the SQL."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows
        )


def _gaining_sections(links: list[tuple[int, int]], new: set[int]) -> set[int]:
    """The stored articles among ``links`` that are not yet in the linked section."""
    wanted = {(article, section) for article, section in links if article not in new}
    if not wanted:
        return set()
    stored = Article.sections.through.objects.filter(
        article_id__in={article for article, _ in wanted}
    ).values_list("article_id", "section_id")
    return {article for article, _ in wanted - set(stored)}


def _stored_quality(article: Article) -> tuple[bool, int]:
    return (not article.truncated, len(article.title) + len(article.body.replace("\n\n", "")))


def _replace_text(article: Article, c: Candidate) -> None:
    article.title = c.title
    article.body = c.body
    article.fingerprint = c.fingerprint
    article.title_key = c.title_key
    article.signature = c.signature
    article.truncated = c.truncated
    article.updated_at = timezone.now()
