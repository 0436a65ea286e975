"""Find the stored article a candidate is a copy of, if any.

The rules, strongest first (``docs/dedup.md`` has the measurements):

1. ``source`` - the same original (gov.kz publisher and id, or a web item's link) in
   the same language;
2. ``exact``  - the same normalised text, through the unique fingerprint index;
3. ``near``   - a MinHash LSH candidate whose estimated similarity passes the
   measured threshold; two different items of one publisher never merge;
4. ``prefix`` - a page cut off mid-item: same title and date, and one body is
   the beginning of the other.

A title alone never merges two items: weekly briefings share titles.

Matching works on a batch: ``Known.load`` asks the database once per kind of key
for everything the batch's candidates could match, and ``Known.add`` records what
the batch itself creates, so a copy later in the same batch finds it too. Every
look-up is a set query on a unique or selective index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, models

from pressroom.pipeline import minhash
from pressroom.pipeline.candidate import Candidate
from pressroom.pipeline.fingerprint import normalize_for_fingerprint
from pressroom.store.models import Article, BandKey, Fingerprint, Sighting

# A truncated copy may end in the middle of a word: ignore that many normalised
# characters at its end when testing for a prefix.
_PREFIX_SLACK = 12
_PREFIX_MIN_CHARS = 200
# Keys per query: far below SQLite's limit of 32,766 bound parameters.
_CHUNK = 2000
# Near-copy candidates checked per candidate; an LSH band shared by hundreds of
# articles is boilerplate, not evidence.
_MAX_BAND_HITS = 200


@dataclass(frozen=True, slots=True)
class Match:
    article: Article
    how: str  # "source" | "exact" | "near" | "prefix"


@dataclass
class Known:
    """What the store (and the batch so far) holds under the keys of a batch of candidates.

    New articles of the batch are unsaved ``Article`` objects until the writer flushes
    them, so the maps hold articles, not ids. There is one object per article, so the
    articles under a band or title key are kept by object identity (``Article.__eq__``
    is Python code, and ``in`` on a list of them was a tenth of the decision time)."""

    sightings: set[str] = field(default_factory=set)
    by_source: dict[str, Article] = field(default_factory=dict)
    by_fingerprint: dict[str, Article] = field(default_factory=dict)
    by_band: defaultdict[int, dict[int, Article]] = field(default_factory=lambda: defaultdict(dict))
    by_title: defaultdict[str, dict[int, Article]] = field(
        default_factory=lambda: defaultdict(dict)
    )

    @classmethod
    def load(cls, candidates: Sequence[Candidate]) -> Known:
        known = cls()
        sighting_rows = _in_chunks(Sighting, "key", [c.sighting_key for c in candidates], "key")
        known.sightings = {key for (key,) in sighting_rows}
        source_keys = [c.source_key for c in candidates if c.source_key]
        fingerprints = [c.fingerprint for c in candidates]
        band_keys = [k for c in candidates for k in c.band_keys]
        title_keys = [c.title_key for c in candidates if c.paragraphs]

        fp_rows = _in_chunks(Fingerprint, "value", fingerprints, "value", "article")
        band_rows = _in_chunks(BandKey, "key", band_keys, "key", "article")
        title_rows = _in_chunks(Article, "title_key", title_keys, "title_key", "id")
        ids = {a for _, a in fp_rows} | {a for _, a in band_rows} | {a for _, a in title_rows}
        articles = {a.pk: a for a in _articles(ids)}
        for a in _in_chunks_objects(source_keys):
            articles[a.pk] = a
            known.by_source[a.source_key or ""] = a
        for value, article_id in fp_rows:
            known.by_fingerprint[value] = articles[article_id]
        for key, article_id in band_rows:
            article = articles[article_id]
            known.by_band[key][id(article)] = article
        for title_key, article_id in title_rows:
            article = articles[article_id]
            known.by_title[title_key][id(article)] = article
        return known

    def add(self, article: Article, c: Candidate) -> None:
        """Make ``article`` findable under ``c``'s keys for the rest of the batch."""
        self.sightings.add(c.sighting_key)
        self.by_fingerprint.setdefault(c.fingerprint, article)
        if article.source_key:
            self.by_source.setdefault(article.source_key, article)
        if not c.truncated:
            by_band = self.by_band
            for key in c.band_keys:
                by_band[key].setdefault(id(article), article)
        self.by_title[c.title_key].setdefault(id(article), article)


def find_match(c: Candidate, known: Known) -> Match | None:
    if c.source_key and (article := known.by_source.get(c.source_key)) is not None:
        return Match(article, "source")
    if (article := known.by_fingerprint.get(c.fingerprint)) is not None:
        return Match(article, "exact")
    if (article := _by_bands(c, known)) is not None:
        return Match(article, "near")
    if (article := _by_prefix(c, known)) is not None:
        return Match(article, "prefix")
    return None


def _by_bands(c: Candidate, known: Known) -> Article | None:
    if not c.band_keys:
        return None
    seen: dict[int, Article] = {}
    for key in c.band_keys:
        if (articles := known.by_band.get(key)) is not None:
            for ident, article in articles.items():
                seen.setdefault(ident, article)
    if not seen:
        return None
    sig = minhash.signature_from_bytes(c.signature)
    best: tuple[float, Article] | None = None
    for article in islice(seen.values(), _MAX_BAND_HITS):
        stored = bytes(article.signature)
        if not stored or stored[0] != minhash.FORMAT_VERSION or article.lang != c.lang:
            # No body, or signed in another format (until migration 0007 re-signs it).
            continue
        if _different_items_of_one_publisher(c, article.source_key):
            continue
        score = minhash.estimated_similarity(sig, minhash.signature_from_bytes(stored))
        if score >= minhash.SAME_STORY_THRESHOLD and (best is None or score > best[0]):
            best = (score, article)
    return best[1] if best else None


def _different_items_of_one_publisher(c: Candidate, stored_source_key: str | None) -> bool:
    if c.source is None or not stored_source_key or not stored_source_key.startswith("govkz:"):
        return False
    _, slug, news_id, _lang = stored_source_key.split(":")
    return slug == c.source.slug and int(news_id) != c.source.news_id


def _by_prefix(c: Candidate, known: Known) -> Article | None:
    """Join a cut-off copy and a complete one: same title and date, one body begins the other.

    A complete candidate can only complete a cut-off article, so it looks at those alone."""
    if not c.paragraphs:
        return None
    others = [
        a
        for a in known.by_title.get(c.title_key, {}).values()
        if a.published == c.published and a.lang == c.lang and (c.truncated or a.truncated)
    ]
    if not others:
        return None
    mine = normalize_for_fingerprint(c.body)
    if len(mine) < _PREFIX_MIN_CHARS:
        return None
    for article in others:
        if _different_items_of_one_publisher(c, article.source_key):
            continue
        theirs = normalize_for_fingerprint(article.body)
        if len(theirs) < _PREFIX_MIN_CHARS:
            continue
        if c.truncated and theirs.startswith(mine[:-_PREFIX_SLACK]):
            return article
        if article.truncated and mine.startswith(theirs[:-_PREFIX_SLACK]):
            return article
    return None


# -- set queries -------------------------------------------------------------------------------


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _in_chunks(
    model: type[models.Model], field_name: str, values: Sequence[Any], *fields: str
) -> list[tuple[Any, ...]]:
    """``fields`` of the rows whose ``field_name`` is in ``values``, as tuples.

    Plain SQL: the keys are strings and integers that need no conversion, and Django's
    ``__in`` look-up spent more time preparing the 16,000 band keys of a batch one by
    one than the database spent finding them."""
    meta = model._meta
    quote = connection.ops.quote_name
    where = quote(_column(model, field_name))
    columns = ", ".join(quote(_column(model, f)) for f in fields)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(set(values))):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where} IN ({marks})",
                list(chunk),
            )
            rows.extend(cursor.fetchall())
    return rows


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field.column


def _in_chunks_objects(source_keys: Sequence[str]) -> list[Article]:
    return [
        a
        for chunk in _chunks(sorted(set(source_keys)))
        for a in Article.objects.order_by().filter(source_key__in=chunk)
    ]


def _articles(ids: set[int]) -> list[Article]:
    return [
        a for chunk in _chunks(sorted(ids)) for a in Article.objects.order_by().filter(pk__in=chunk)
    ]
