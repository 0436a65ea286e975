"""Highlighted snippets, cut from the article's own text in Python (the same on both engines).

The index holds stems, not the text, so the engines cannot cut snippets that
read well. Here the article's text is read again, word by word with offsets
(each word analysed as the index analysed it, from a cache), and the words whose
stem or name key the query looked for are wrapped in ``<mark>``. The snippet
is the stretch of ``SNIPPET_WORDS`` words from a little before the first match;
reading stops there, so a long body costs no more than its opening. Everything
else is HTML-escaped: a snippet is safe to put in a page as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import islice

from pressroom.store.search.analysis import WORD, analyse_word, reading_for
from pressroom.store.search.plan import Plan

SNIPPET_WORDS = 36
LEAD_WORDS = 8  # words shown before the first match
MAX_SCAN = 5_000  # words read looking for a match; past that the snippet is the opening
ELLIPSIS = "…"

Span = tuple[int, int, bool]  # start, end, matches


@dataclass(frozen=True)
class Highlighter:
    """Decides which words of a text the query was looking for."""

    stems: frozenset[str]
    prefixes: tuple[str, ...]
    keys: tuple[tuple[str, bool], ...]  # (key prefix, of a Cyrillic name)

    @classmethod
    def for_plan(cls, plan: Plan) -> Highlighter:
        stems, prefixes, keys = plan.highlights()
        return cls(stems, prefixes, keys)

    def matches(self, raw: str, reading: str) -> bool:
        for stem, key, cyrillic in analyse_word(raw, reading):
            if stem in self.stems or (self.prefixes and stem.startswith(self.prefixes)):
                return True
            if key and any(cyrillic == c and key.startswith(k) for k, c in self.keys):
                return True
        return False

    def _probe(self, text: str) -> int:
        """Where reading may start: a little before the first place a stem's beginning
        appears. Stems mostly begin their words (``constitut``, ``мектеп``), so a plain
        string search skips the long stretch of a body before a rare word; the words
        there are then checked as usual. Without such a place (a match by name key, in
        the other script) the text is read from its start."""
        if not self.stems and not self.prefixes:
            return 0
        folded = text.casefold()
        if len(folded) != len(text):
            return 0
        found = [
            folded.find(stem[: max(3, len(stem) - 1)]) for stem in (*self.stems, *self.prefixes)
        ]
        first = min((f for f in found if f >= 0), default=-1)
        if first < 0:
            return 0
        # Back off to a space a few words before, so the lead-in reads well.
        back = first
        for _ in range(LEAD_WORDS + 1):
            back = text.rfind(" ", 0, back)
            if back <= 0:
                return 0
        return back

    def title(self, text: str, lang: str) -> str:
        """The whole title, escaped, with its matching words marked."""
        reading = reading_for(lang)
        spans = [
            (m.start(), m.end(), self.matches(m.group(), reading)) for m in WORD.finditer(text)
        ]
        return _render(text, spans, 0, len(text))

    def snippet(self, text: str, lang: str, words: int = SNIPPET_WORDS) -> str:
        """About ``words`` words of ``text`` from just before its first match (or its start)."""
        reading = reading_for(lang)
        spans: list[Span] = []
        first_hit: int | None = None
        start_at = self._probe(text)
        for m in islice(WORD.finditer(text, start_at), MAX_SCAN):
            hit = self.matches(m.group(), reading)
            spans.append((m.start(), m.end(), hit))
            if hit and first_hit is None:
                first_hit = len(spans) - 1
            if first_hit is not None and len(spans) >= first_hit + words - LEAD_WORDS:
                break
            if first_hit is None and len(spans) > LEAD_WORDS:
                spans.pop(0)  # keep only the words that may lead into a match
        if first_hit is None:  # no match in the body (the title matched): its opening
            opening = islice(WORD.finditer(text), words)
            spans = [(m.start(), m.end(), False) for m in opening]
        if not spans:
            return ""
        start = spans[0][0] if spans[0][0] > 0 and first_hit is not None else 0
        start = 0 if _nothing_before(text, start) else start
        end = spans[-1][1]
        end = len(text) if _nothing_after(text, end) else end
        html = _render(text, spans, start, end).strip()
        return (ELLIPSIS if start > 0 else "") + html + (ELLIPSIS if end < len(text) else "")


def _nothing_before(text: str, start: int) -> bool:
    return WORD.search(text, 0, start) is None


def _nothing_after(text: str, end: int) -> bool:
    return WORD.search(text, end) is None


def _render(text: str, spans: list[Span], start: int, end: int) -> str:
    out: list[str] = []
    pos = start
    for s, e, hit in spans:
        if not hit or s < pos or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)
