"""Clean text before it is compared or stored.

Listing pages arrive with odd whitespace, zero-width characters and the
occasional control character; the stored text should not depend on them.
Normalisation here is conservative: it never changes letters or punctuation
(that is the fingerprint's job), only invisible noise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width, BOM, soft hyphen
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]|  ")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Every character that one of the steps below would touch, in one class: most text has
# none of them (nor two spaces in a row), and one scan for them is several times cheaper
# than three (an alternation such as _ODD_SPACE's cannot use the fast character scan).
_NOISE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f"
    "\t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
)


def clean_text(text: str) -> str:
    """NFC, without invisible and control characters, with runs of spaces folded.

    Most text is already clean: each step first checks whether it has work to do,
    which is several times cheaper than rewriting every paragraph."""
    text = unicodedata.normalize("NFC", text)
    if "  " not in text and not _NOISE.search(text):
        return text.strip()
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    return text.strip()


def clean_paragraphs(paragraphs: Iterable[str]) -> tuple[str, ...]:
    """Clean each paragraph and drop the ones left empty."""
    cleaned = (clean_text(p) for p in paragraphs)
    return tuple(p for p in cleaned if p)
