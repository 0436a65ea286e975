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

_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD]  # zero-width chars, BOM, soft hyphen
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """NFC, without invisible and control characters, with runs of spaces folded."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def clean_paragraphs(paragraphs: Iterable[str]) -> tuple[str, ...]:
    """Clean each paragraph and drop the ones left empty."""
    cleaned = (clean_text(p) for p in paragraphs)
    return tuple(p for p in cleaned if p)
