"""Exact-copy keys: a text fingerprint and a title key.

The same press release reaches Pressroom many times, and the copies differ in
ways no reader would call an edit: one site drops ``&`` and apostrophes,
another swaps « » for " ", dashes for hyphens, re-wraps paragraphs or adds
full-width letters. The fingerprint therefore keeps only what carries meaning,
the letters, combining marks and digits of every script (Unicode categories
L, M and N), after NFKC and case folding, and drops everything else, spaces
included. "Slovenia's «AI&Digital Bridge»" and "slovenias AI Digital bridge"
both become ``sloveniasaidigitalbridge``.

``exact_fingerprint`` is the merge key under the unique index;
``title_key`` only finds candidates (a title never merges two items on its own,
since recurring formats such as weekly briefings share titles). See
``docs/dedup.md``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

__all__ = [
    "exact_fingerprint",
    "fingerprint_of_words",
    "normalize_for_fingerprint",
    "title_key",
    "title_key_of_words",
    "words",
]

# Removed before splitting, so "Slovenia's" and "Slovenias" are one word:
# apostrophes and look-alikes, plus invisible joiners (ZWJ/ZWNJ inside Sinhala
# conjuncts, soft hyphen, word joiner, BOM) that copies keep or lose at random.
_DELETED = "'\u2019\u02bc`\u2018\u200c\u200d\u00ad\u2060\ufeff"
# Russian copies write "е" for "ё" inconsistently ("ещё" / "еще").
_FOLDED = (("ё", "е"), ("_", " "))

_PERSON_FINGERPRINT = b"pressroom-fp-v1"
_PERSON_TITLE = b"pressroom-tk-v1"
_TITLE_BODY_SEPARATOR = "\x1f"  # cannot occur in normalised text
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _char_class(ranges: list[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


def _word_char_ranges(stop: int) -> list[tuple[int, int]]:
    """Code point ranges below ``stop`` whose general category is L*, M* or N*."""
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    for cp in range(stop + 1):
        inside = cp < stop and unicodedata.category(chr(cp))[0] in "LMN"
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return ranges


@cache
def _bmp_words() -> re.Pattern[str]:
    # Built from the Unicode database on first use (~15 ms). Python's ``\w``
    # would split Tamil and Sinhala words at every vowel sign (category M), and
    # a class that reaches past U+FFFF makes ``re`` several times slower, so the
    # common case gets a BMP-only class.
    return re.compile(f"[{_char_class(_word_char_ranges(0x10000))}]+")


@cache
def _all_words() -> re.Pattern[str]:
    # Only for texts with characters beyond the BMP (rare); built on first use (~0.3 s).
    return re.compile(f"[{_char_class(_word_char_ranges(0x110000))}]+")


def _canonical(text: str) -> str:
    """NFKC, case-folded, apostrophes and invisible joiners removed, ё folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    for char in _DELETED:
        text = text.replace(char, "")
    for old, new in _FOLDED:
        text = text.replace(old, new)
    return text


def words(text: str) -> list[str]:
    """The words of ``text``: maximal runs of letters, marks and digits after canonicalising.

    Every other character (punctuation, ``&``, dashes, quotes, symbols, spaces)
    separates words; apostrophes join them ("Slovenia's" -> "slovenias").
    """
    text = _canonical(text)
    pattern = _bmp_words() if text.isascii() or not _ASTRAL.search(text) else _all_words()
    return pattern.findall(text)


def normalize_for_fingerprint(text: str) -> str:
    """The words of ``text`` run together: what two copies of one text have in common."""
    return "".join(words(text))


def _digest(person: bytes, text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16, person=person).hexdigest()


def fingerprint_of_words(title_words: Sequence[str], body_words: Sequence[str]) -> str:
    """``exact_fingerprint`` from words already split (the ingest computes them once)."""
    return _digest(
        _PERSON_FINGERPRINT, "".join(title_words) + _TITLE_BODY_SEPARATOR + "".join(body_words)
    )


def title_key_of_words(title_words: Sequence[str]) -> str:
    """``title_key`` from words already split."""
    return _digest(_PERSON_TITLE, "".join(title_words))


def exact_fingerprint(title: str, paragraphs: Sequence[str]) -> str:
    """32 hex chars: BLAKE2b-128 of the normalised title and the normalised body.

    Paragraph breaks carry no weight (a re-wrapped copy is the same text), but
    the title/body boundary does. A body that normalises to nothing gives a
    title-only fingerprint: callers must add something that tells body-less
    items apart (such as their source URL), because a title alone never merges.
    """
    body = "".join(normalize_for_fingerprint(p) for p in paragraphs)
    return _digest(
        _PERSON_FINGERPRINT, normalize_for_fingerprint(title) + _TITLE_BODY_SEPARATOR + body
    )


def title_key(title: str) -> str:
    """32 hex chars: BLAKE2b-128 of the normalised title, to find candidates, never to merge.

    Keyed differently from ``exact_fingerprint`` so the two never coincide. An
    empty (or punctuation-only) title gives one constant key.
    """
    return _digest(_PERSON_TITLE, normalize_for_fingerprint(title))
