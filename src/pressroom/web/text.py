"""Turning stored text into what a reader sees: paragraphs, a lead sentence, a word diff.

Listing pages often lose paragraph breaks, leaving sentences glued together
("were considered.The Ambassador noted"). The store keeps the text as read; these
helpers only decide how it is *shown*. Everything returned is plain text: the
templates escape it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pressroom.store.models import PARAGRAPH_SEPARATOR

# A sentence end glued to the next sentence: three lower-case letters or digits (so "Mr.X"
# and "No.5" stay whole), a full stop, then a capital letter ("in 2024.Among them").
_GLUED_SENTENCE = re.compile(r"(?<=[a-zа-яёәғқңөұүһі0-9]{3}[.!?])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
# A sentence end followed by a space and a capital letter or an opening quote; the word
# before it has three characters or more, so "Mr. Smith" is not an end.
_SENTENCE_END = re.compile(r"(?<=[^\s.]{3}[.!?])\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ«\"“])")
_WORDS = re.compile(r"\s+|[^\s]+")


def paragraphs(body: str) -> list[str]:
    """Paragraphs to show: the stored ones, split again where the source glued sentences."""
    shown: list[str] = []
    for paragraph in body.split(PARAGRAPH_SEPARATOR):
        shown.extend(p.strip() for p in _GLUED_SENTENCE.split(paragraph) if p.strip())
    return shown


def lead(text: str, limit: int = 240) -> str:
    """The first sentence of a body (for list items), cut at a word if it runs long."""
    text = " ".join(text.split())
    first = _GLUED_SENTENCE.split(text, maxsplit=1)[0]
    first = _SENTENCE_END.split(first, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + "…"


@dataclass(frozen=True)
class DiffPart:
    """A run of words that was kept (``op`` "="), removed ("-") or added ("+")."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """What changed from ``old`` to ``new``, word by word (whitespace kept as it was)."""
    a = _WORDS.findall(old)
    b = _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    parts: list[DiffPart] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(parts, "=", "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _append(parts, "-", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _append(parts, "+", "".join(b[j1:j2]))
    return parts


def _append(parts: list[DiffPart], op: str, text: str) -> None:
    if not text:
        return
    if parts and parts[-1].op == op:
        parts[-1] = DiffPart(op, parts[-1].text + text)
    else:
        parts.append(DiffPart(op, text))
