"""The query language, parsed in Python into a small tree that each backend compiles.

What a reader can type:

- ``word word``: every word must appear (in any form: ``schools`` finds ``school``);
- ``"a phrase"``: these words next to each other, in this order (``“…”``, ``«…»``
  and ``„…“`` work as quotes too);
- ``-word``, ``-"a phrase"``: leave out articles that have it;
- ``word OR word``: either (``OR`` in capitals, between two terms; it binds
  tighter than the implicit *and*: ``a b OR c d`` is ``a (b or c) d``);
- ``prefix*``: any word that starts so (at least three letters; shorter
  prefixes count as the word itself).

Everything else is text. A word joined by hyphens, dots, slashes or the like
(``COVID-19``, ``U.S.``) is a phrase of its parts; other signs (``title:``,
``NEAR(``, ``^``, brackets) separate words and mean nothing, so no input can
reach the database's own query syntax. A quote left open runs to the end. An
``OR`` that has no term on one side is the word "or". Control characters are
spaces; invisible format characters are dropped. Only the first ``MAX_TERMS``
words count, so a pasted page stays cheap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import regex

from pressroom.store.search.analysis import WORD

MAX_TERMS = 32
MIN_PREFIX = 3

_QUOTES = frozenset('"“”„«»')
# Signs that join the parts of one word: "COVID-19", "U.S.", "24/7", "Kyzylzhar–2".
_JOINERS = regex.compile(r"(?:[\p{L}\p{N}\p{M}'’ʼ]+[-‐‑–.·/_&+]?)+")


@dataclass(frozen=True, slots=True)
class Term:
    """One word as typed, or the words of a phrase; ``prefix`` only for a single word."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Terms joined by OR: any one will do."""

    terms: tuple[Term, ...]


Clause = Term | AnyOf


@dataclass(frozen=True, slots=True)
class Query:
    """Every clause of ``must`` holds and no term of ``must_not`` appears."""

    must: tuple[Clause, ...] = ()
    must_not: tuple[Term, ...] = ()
    truncated: bool = False  # words past MAX_TERMS were left out

    @property
    def is_empty(self) -> bool:
        return not self.must and not self.must_not

    def terms(self) -> list[Term]:
        """The terms that select articles (for highlighting)."""
        out: list[Term] = []
        for clause in self.must:
            out.extend(clause.terms if isinstance(clause, AnyOf) else (clause,))
        return out


@dataclass
class _Piece:
    """A lexical piece: a term (maybe negated) or the OR keyword."""

    term: Term | None = None
    negated: bool = False
    is_or: bool = False
    raw: str = ""


@dataclass
class _Budget:
    left: int = MAX_TERMS
    truncated: bool = field(default=False)

    def take(self, words: list[str]) -> list[str]:
        if len(words) > self.left:
            self.truncated = True
            words = words[: self.left]
        self.left -= len(words)
        return words


def parse(text: str) -> Query:
    """Parse what a reader typed; never fails, whatever the input."""
    budget = _Budget()
    pieces = _pieces(_clean(text), budget)
    must: list[Clause] = []
    must_not: list[Term] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if piece.is_or:  # an OR with no term before it: the word "or"
            piece = _as_word(piece, budget)
            if piece.term is None:
                i += 1
                continue
        assert piece.term is not None
        if piece.negated:
            must_not.append(piece.term)
            i += 1
            continue
        group = [piece.term]
        i += 1
        while i + 1 < len(pieces) and pieces[i].is_or and _positive(pieces[i + 1]):
            term = pieces[i + 1].term
            assert term is not None
            group.append(term)
            i += 2
        must.append(group[0] if len(group) == 1 else AnyOf(tuple(dict.fromkeys(group))))
    return Query(tuple(must), tuple(dict.fromkeys(must_not)), budget.truncated)


def _positive(piece: _Piece) -> bool:
    return piece.term is not None and not piece.negated and not piece.is_or


def _as_word(piece: _Piece, budget: _Budget) -> _Piece:
    words = budget.take(["or"])
    return _Piece(term=Term(tuple(words))) if words else _Piece()


def _clean(text: str) -> str:
    """NFKC (look-alike quotes and signs fold); control characters and line or paragraph
    separators become spaces; invisible format characters (soft hyphens, zero-width
    spaces, direction marks) go, as the stored text has none."""
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        out.append(" " if category in ("Cc", "Zl", "Zp", "Zs") else ch)
    return "".join(out)


def _pieces(text: str, budget: _Budget) -> list[_Piece]:
    pieces: list[_Piece] = []
    i, n = 0, len(text)
    while i < n and budget.left > 0:
        ch = text[i]
        if ch == " ":
            i += 1
            continue
        negated = False
        if ch == "-":
            while i < n and text[i] == "-":
                i += 1
            if i >= n or text[i] == " ":
                continue  # a lone "-": nothing to leave out
            negated, ch = True, text[i]
        if ch in _QUOTES:
            end = i + 1
            while end < n and text[end] not in _QUOTES:
                end += 1
            words = budget.take(_words(text[i + 1 : end]))
            if words:
                pieces.append(_Piece(Term(tuple(words)), negated=negated))
            i = end + 1
            continue
        end = i
        while end < n and text[end] != " " and text[end] not in _QUOTES:
            end += 1
        pieces.extend(_word_pieces(text[i:end], negated, budget))
        i = end
    if budget.left <= 0 and text[i:].strip():
        budget.truncated = True
    return pieces


def _word_pieces(chunk: str, negated: bool, budget: _Budget) -> list[_Piece]:
    """One space-delimited chunk: the OR keyword, or terms split at meaningless signs."""
    if chunk == "OR" and not negated:
        return [_Piece(is_or=True, raw=chunk)]
    out: list[_Piece] = []
    for match in _JOINERS.finditer(chunk):
        words = _words(match.group())
        prefix = False
        tail = chunk[match.end() : match.end() + 1]
        if tail == "*" and len(words) == 1 and len(words[0]) >= MIN_PREFIX:
            prefix = True
        words = budget.take(words)
        if words:
            out.append(_Piece(Term(tuple(words), prefix and len(words) == 1), negated=negated))
    return out


def _words(text: str) -> list[str]:
    return WORD.findall(text)
