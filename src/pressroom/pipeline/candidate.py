"""A candidate article: one item read from an input, ready to be matched and stored.

Everything the de-duplication needs (fingerprint, title key, MinHash signature
and band keys, the gov.kz source key) is computed here once, in Python, so the
database work that follows is only look-ups and inserts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pressroom.parsing.govkz import GovKzRef, parse_govkz_url
from pressroom.parsing.listing import ListingItem
from pressroom.pipeline import fingerprint, minhash
from pressroom.pipeline.normalize import clean_paragraphs, clean_text


@dataclass(frozen=True, slots=True)
class Candidate:
    title: str
    paragraphs: tuple[str, ...]
    lang: str
    published: date
    section: str | None
    source_url: str | None
    source: GovKzRef | None
    truncated: bool
    raw: str
    line: int | None
    end_line: int | None
    page_url: str | None
    input_name: str
    fingerprint: str
    title_key: str
    signature: bytes
    band_keys: tuple[int, ...]
    sighting_key: str
    # Items read from the web (feeds, pages) that are not gov.kz news: the identity of
    # the original (``web:<digest of its URL>:<lang>``) and who published it.
    origin_key: str | None = None
    publisher_slug: str | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def source_key(self) -> str | None:
        """One article per original gov.kz item *and language*: translations stay apart.
        Other web originals (a feed item's link) are keyed the same way by ``origin_key``."""
        if self.source is None:
            return self.origin_key
        return f"govkz:{self.source.slug}:{self.source.news_id}:{self.lang}"

    @property
    def quality(self) -> tuple[bool, int]:
        """Which of two copies of one text to keep: complete first, then the one that kept
        more characters (copies that lost ``&`` or apostrophes are shorter)."""
        return (not self.truncated, len(self.title) + sum(len(p) for p in self.paragraphs))


def sighting_key(section: str | None, raw: str) -> str:
    """The identity of one copy: the same item under the same heading is the same sighting,
    whichever file or pipe it came through, so ingesting an input twice adds nothing."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update((section or "").casefold().encode())
    digest.update(b"\x00")
    digest.update(raw.replace("\r\n", "\n").strip().encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def text_signature(title: str, text: Sequence[str]) -> minhash.Signature | None:
    """The MinHash signature of an item: its title and its text paragraphs (image lines
    left out), None without text. Web items and re-signing (``signatures.py``) share it;
    listing items sign the same words, split once for their fingerprint as well."""
    return minhash.signature(f"{title}\n" + "\n".join(text)) if text else None


def from_listing_item(item: ListingItem, input_name: str) -> Candidate:
    title = clean_text(item.title)
    paragraphs = clean_paragraphs(item.paragraphs)
    source = parse_govkz_url(item.source_url) if item.source_url else None
    # Split into words once: the fingerprint, title key and signature all read them.
    title_words = fingerprint.words(title)
    # Items without a body are told apart by their source, never by title alone.
    fp_body = "\n".join(paragraphs or (item.source_url or "", item.published.isoformat()))
    body_words = fingerprint.words(fp_body)
    sig = minhash.signature_of_words(title_words + body_words) if paragraphs else None
    return Candidate(
        title=title,
        paragraphs=paragraphs,
        lang=item.lang,
        published=item.published,
        section=clean_text(item.section) if item.section else None,
        source_url=source.canonical_url if source else item.source_url,
        source=source,
        truncated=item.truncated,
        raw=item.raw,
        line=item.line,
        end_line=item.end_line,
        page_url=item.page_url,
        input_name=input_name,
        fingerprint=fingerprint.fingerprint_of_words(title_words, body_words),
        title_key=fingerprint.title_key_of_words(title_words),
        signature=minhash.signature_to_bytes(sig) if sig is not None else b"",
        band_keys=tuple(minhash.band_keys(sig)) if sig is not None else (),
        sighting_key=sighting_key(item.section, item.raw),
    )


def from_web_item(
    *,
    title: str,
    paragraphs: list[str] | tuple[str, ...],
    lang: str,
    published: date,
    url: str | None,
    input_name: str,
    identity: str | None = None,
    section: str | None = None,
    publisher_slug: str | None = None,
    govkz: GovKzRef | None = None,
) -> Candidate:
    """A feed item or an extracted page. Image lines (``![alt](url)``) are stored in the
    body but left out of the fingerprint and signature: a new image URL is no edit.

    The sighting's raw text is the item as read (URL, title, paragraphs), so the same
    item read again is one sighting, and an edited one is a new sighting and a
    ``Version`` (matched by its source key: gov.kz id, else its link). ``govkz`` names the
    gov.kz item when the URL is on a host that mirrors gov.kz's scheme."""
    from pressroom.parsing.html import text_only

    title = clean_text(title)
    paragraphs = clean_paragraphs(paragraphs)
    text = text_only(paragraphs)
    source = govkz or (parse_govkz_url(url) if url else None)
    if source is not None and source.lang is None:
        source = GovKzRef(source.slug, source.news_id, lang)
    origin = identity or url
    origin_key = None
    if source is None and origin:
        digest = hashlib.blake2b(origin.strip().encode("utf-8", "surrogatepass"), digest_size=16)
        origin_key = f"web:{digest.hexdigest()}:{lang}"
    fp_body: tuple[str, ...] = text or (url or "", published.isoformat())
    sig = text_signature(title, text)
    raw = "\n\n".join([f"URL: {url or ''}", title, *paragraphs])
    return Candidate(
        title=title,
        paragraphs=paragraphs,
        lang=lang,
        published=published,
        section=clean_text(section) if section else None,
        source_url=source.canonical_url if source else url,
        source=source,
        truncated=False,
        raw=raw,
        line=None,
        end_line=None,
        page_url=url,
        input_name=input_name,
        fingerprint=fingerprint.exact_fingerprint(title, fp_body),
        title_key=fingerprint.title_key(title),
        signature=minhash.signature_to_bytes(sig) if sig is not None else b"",
        band_keys=tuple(minhash.band_keys(sig)) if sig is not None else (),
        sighting_key=sighting_key(section, raw),
        origin_key=origin_key,
        publisher_slug=publisher_slug,
    )
