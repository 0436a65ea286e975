"""Store one candidate: a new article, or one more sighting of a known story.

Every call leaves a ``Sighting`` with the raw text, whatever else it decides, so
merging never loses what was read. The caller owns the transaction.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from pressroom.parsing.govkz import guess_parent_slug, guess_publisher_kind
from pressroom.pipeline import locks
from pressroom.pipeline.candidate import Candidate
from pressroom.pipeline.match import Match, find_match
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


class Outcome(enum.StrEnum):
    NEW = "new"  # a story not seen before
    MERGED = "merged"  # one more copy of a known story; its text stays
    UPDATED = "updated"  # a known story whose text was replaced (edit, better or complete copy)
    UNCHANGED = "unchanged"  # this very copy was stored before
    REJECTED = "rejected"  # quarantined


@dataclass
class ArticleWriter:
    """Writes candidates for one run, caching sections and publishers it has resolved."""

    run: IngestRun | None = None
    _sections: dict[str, Section] = field(default_factory=dict)
    _publishers: dict[str, Publisher] = field(default_factory=dict)

    def write(self, c: Candidate) -> Outcome:
        locks.lock_keys(_lock_keys(c))
        if Sighting.objects.filter(key=c.sighting_key).exists():
            return Outcome.UNCHANGED
        match = find_match(c)
        if match is None:
            article = self._create(c)
            self._record_sighting(article, c, "new")
            outcome = Outcome.NEW
        else:
            article = match.article
            sighting = self._record_sighting(article, c, match.how)
            outcome = self._merge(article, c, match, sighting)
        if c.section:
            article.sections.add(self._section(c.section))
        return outcome

    def forget(self) -> None:
        """Drop cached rows: after a rollback they may no longer exist."""
        self._sections.clear()
        self._publishers.clear()

    # -- creating ---------------------------------------------------------------------------

    def _create(self, c: Candidate) -> Article:
        now = timezone.now()
        article = Article.objects.create(
            title=c.title,
            body=c.body,
            lang=c.lang,
            published=c.published,
            publisher=self._publisher(c.source.slug) if c.source else None,
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
        self._index(article, c)
        return article

    def _index(self, article: Article, c: Candidate) -> None:
        """Make the text findable by the exact and near-copy rules (cut-off texts only exactly)."""
        Fingerprint.objects.bulk_create(
            [Fingerprint(value=c.fingerprint, article=article)], ignore_conflicts=True
        )
        if c.band_keys and not c.truncated:
            BandKey.objects.bulk_create(
                [BandKey(key=k, article=article) for k in c.band_keys], ignore_conflicts=True
            )

    # -- merging ----------------------------------------------------------------------------

    def _merge(self, article: Article, c: Candidate, match: Match, sighting: Sighting) -> Outcome:
        changed = _adopt_missing_source(article, self, c)
        if c.fingerprint == article.fingerprint:
            replace = c.quality > _stored_quality(article)  # same text, keep the fuller copy
        elif article.truncated and not c.truncated:
            replace = True  # a complete copy of a text we only had the beginning of
        elif match.how == "source" and not c.truncated:
            # The publisher edited its item: keep what it said before.
            Version.objects.create(
                article=article,
                title=article.title,
                body=article.body,
                fingerprint=article.fingerprint,
                replaced_by=sighting,
            )
            replace = True
        else:
            replace = False  # a near copy or an older text: the stored text stays
        if replace:
            _replace_text(article, c)
        if c.fingerprint != article.fingerprint or replace:
            self._index(article, c)
        article.last_seen = timezone.now()
        article.save()
        return Outcome.UPDATED if changed or replace else Outcome.MERGED

    def _record_sighting(self, article: Article, c: Candidate, how: str) -> Sighting:
        return Sighting.objects.create(
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

    def _publisher(self, slug: str) -> Publisher:
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


def _lock_keys(c: Candidate) -> list[str | int]:
    keys: list[str | int] = [c.sighting_key, c.fingerprint, f"{c.title_key}:{c.published}"]
    if c.source_key:
        keys.append(c.source_key)
    keys.extend(c.band_keys)
    return keys


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


def _adopt_missing_source(article: Article, writer: ArticleWriter, c: Candidate) -> bool:
    """A copy that names its original fills in what an anonymous copy lacked."""
    if article.source_key or c.source is None:
        return False
    if Article.objects.filter(source_key=c.source_key).exists():
        return False
    article.source_key = c.source_key
    article.source_url = c.source_url
    article.source_id = c.source.news_id
    article.publisher = writer._publisher(c.source.slug)
    return True
