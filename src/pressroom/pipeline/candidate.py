"""A candidate article: one item read from an input, ready to be matched and stored.

Everything the de-duplication needs (fingerprint, title key, MinHash signature
and band keys, the gov.kz source key) is computed here once, in Python, so the
database work that follows is only look-ups and inserts.
"""

from __future__ import annotations

import hashlib
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

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def source_key(self) -> str | None:
        """One article per original gov.kz item *and language*: translations stay apart."""
        if self.source is None:
            return None
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


def from_listing_item(item: ListingItem, input_name: str) -> Candidate:
    title = clean_text(item.title)
    paragraphs = clean_paragraphs(item.paragraphs)
    source = parse_govkz_url(item.source_url) if item.source_url else None
    body = "\n".join(paragraphs)
    # Items without a body are told apart by their source, never by title alone.
    fp_body: tuple[str, ...] = paragraphs or (item.source_url or "", item.published.isoformat())
    sig = minhash.signature(f"{title}\n{body}") if paragraphs else None
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
        fingerprint=fingerprint.exact_fingerprint(title, fp_body),
        title_key=fingerprint.title_key(title),
        signature=minhash.signature_to_bytes(sig) if sig is not None else b"",
        band_keys=tuple(minhash.band_keys(sig)) if sig is not None else (),
        sighting_key=sighting_key(item.section, item.raw),
    )
