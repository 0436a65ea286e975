"""Find the stored article a candidate is a copy of, if any.

The rules, strongest first (``docs/dedup.md`` has the measurements):

1. ``source`` - the same gov.kz item (publisher, id) in the same language;
2. ``exact``  - the same normalised text, through the unique fingerprint index;
3. ``near``   - a MinHash LSH candidate whose estimated similarity passes the
   measured threshold; two different items of one publisher never merge;
4. ``prefix`` - a page cut off mid-item: same title and date, and one body is
   the beginning of the other.

A title alone never merges two items: weekly briefings share titles.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressroom.pipeline import minhash
from pressroom.pipeline.candidate import Candidate
from pressroom.pipeline.fingerprint import normalize_for_fingerprint
from pressroom.store.models import Article, BandKey, Fingerprint

# A truncated copy may end in the middle of a word: ignore that many normalised
# characters at its end when testing for a prefix.
_PREFIX_SLACK = 12
_PREFIX_MIN_CHARS = 200


@dataclass(frozen=True, slots=True)
class Match:
    article: Article
    how: str  # "source" | "exact" | "near" | "prefix"


def find_match(c: Candidate) -> Match | None:
    for finder in (_by_source, _by_fingerprint, _by_bands, _by_prefix):
        match = finder(c)
        if match is not None:
            return match
    return None


def _by_source(c: Candidate) -> Match | None:
    if c.source_key is None:
        return None
    article = Article.objects.filter(source_key=c.source_key).first()
    return Match(article, "source") if article else None


def _by_fingerprint(c: Candidate) -> Match | None:
    row = Fingerprint.objects.filter(value=c.fingerprint).select_related("article").first()
    return Match(row.article, "exact") if row else None


def _by_bands(c: Candidate) -> Match | None:
    if not c.band_keys:
        return None
    ids = set(
        BandKey.objects.filter(key__in=c.band_keys).values_list("article_id", flat=True)[:200]
    )
    if not ids:
        return None
    sig = minhash.signature_from_bytes(c.signature)
    best: tuple[float, int] | None = None
    for article_id, stored, source_key in Article.objects.filter(
        id__in=ids, lang=c.lang
    ).values_list("id", "signature", "source_key"):
        if not stored or _different_items_of_one_publisher(c, source_key):
            continue
        score = minhash.estimated_similarity(sig, minhash.signature_from_bytes(bytes(stored)))
        if score >= minhash.SAME_STORY_THRESHOLD and (best is None or score > best[0]):
            best = (score, article_id)
    if best is None:
        return None
    return Match(Article.objects.get(id=best[1]), "near")


def _different_items_of_one_publisher(c: Candidate, stored_source_key: str | None) -> bool:
    if c.source is None or not stored_source_key:
        return False
    _, slug, news_id, _lang = stored_source_key.split(":")
    return slug == c.source.slug and int(news_id) != c.source.news_id


def _by_prefix(c: Candidate) -> Match | None:
    """Join a cut-off copy and a complete one: same title and date, one body begins the other."""
    if not c.paragraphs:
        return None
    mine = normalize_for_fingerprint(c.body)
    if len(mine) < _PREFIX_MIN_CHARS:
        return None
    others = Article.objects.filter(title_key=c.title_key, published=c.published, lang=c.lang)[:20]
    for article in others:
        if _different_items_of_one_publisher(c, article.source_key):
            continue
        theirs = normalize_for_fingerprint(article.body)
        if len(theirs) < _PREFIX_MIN_CHARS:
            continue
        if c.truncated and theirs.startswith(mine[:-_PREFIX_SLACK]):
            return Match(article, "prefix")
        if article.truncated and mine.startswith(theirs[:-_PREFIX_SLACK]):
            return Match(article, "prefix")
    return None
