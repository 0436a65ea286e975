"""From a parsed query to what must be looked up: stems, phrases, prefixes and name keys.

This is the part of query compilation the backends share: each term of the
query becomes a few *alternatives* (any one matching is enough), written in the
index's own vocabulary. The backends only spell them in FTS5 or tsquery syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressroom.store.search.analysis import (
    is_cyrillic,
    normalise,
    prestem,
    reading_for,
    readings_of,
    stem_word,
)
from pressroom.store.search.query import MIN_PREFIX, AnyOf, Clause, Query, Term
from pressroom.store.search.translit import query_key


@dataclass(frozen=True, slots=True)
class Lookup:
    """One alternative: stems in the title or body (a phrase if several), or a name key."""

    stems: tuple[str, ...] = ()
    prefix: bool = False  # the last stem is a prefix
    key: str = ""  # instead of stems: a name key prefix, matched among names ...
    cyrillic: bool = False  # ... written in Cyrillic (else in Latin letters)


Group = tuple[Lookup, ...]  # any one of these


@dataclass(frozen=True, slots=True)
class Plan:
    must: tuple[Group, ...]
    must_not: tuple[Group, ...]

    @property
    def is_empty(self) -> bool:
        return not self.must and not self.must_not

    def highlights(self) -> tuple[frozenset[str], tuple[str, ...], tuple[tuple[str, bool], ...]]:
        """Stems, stem prefixes and (key prefix, Cyrillic) pairs to mark in snippets."""
        stems: set[str] = set()
        prefixes: set[str] = set()
        keys: set[tuple[str, bool]] = set()
        for group in self.must:
            for lookup in group:
                if lookup.key:
                    keys.add((lookup.key, lookup.cyrillic))
                elif lookup.prefix:
                    stems.update(lookup.stems[:-1])
                    prefixes.add(lookup.stems[-1])
                else:
                    stems.update(lookup.stems)
        return frozenset(stems), tuple(sorted(prefixes)), tuple(sorted(keys))


def plan(query: Query, lang: str | None = None) -> Plan:
    """The lookups of every clause; clauses whose words all vanish in analysis are dropped."""
    must = tuple(g for g in (_group(c, lang) for c in query.must) if g)
    must_not = tuple(g for g in (_group(t, lang) for t in query.must_not) if g)
    return Plan(must, must_not)


def _group(clause: Clause, lang: str | None) -> Group:
    terms = clause.terms if isinstance(clause, AnyOf) else (clause,)
    lookups: dict[Lookup, None] = {}
    for term in terms:
        lookups.update(dict.fromkeys(lookups_of(term, lang)))
    return tuple(lookups)


def lookups_of(term: Term, lang: str | None) -> list[Lookup]:
    """The alternatives of one term, under every reading its words may have been indexed in."""
    words = [w for raw in term.words for w in normalise(raw)]
    if not words:
        return []
    if lang:
        readings: tuple[str, ...] = (reading_for(lang),)
    else:
        readings = tuple(dict.fromkeys(r for w in words for r in readings_of(w)))
    prefix = term.prefix and len(words) == 1 and len(words[0]) >= MIN_PREFIX
    out: list[Lookup] = []
    for reading in readings:
        stems = [stem_word(w, reading) for w in words]
        if prefix:
            stems[-1] = _common_prefix(prestem(words[-1]), stems[-1])
        out.append(Lookup(tuple(stems), prefix=prefix))
    if len(words) == 1 and (key := query_key(words[0])):
        # Among the names of the other script: in its own, the stems match already.
        out.append(Lookup(key=key, cyrillic=not is_cyrillic(words[0])))
    return list(dict.fromkeys(out))


def _common_prefix(word: str, stem: str) -> str:
    """What both the typed prefix and its stem start with: the stem may change the end
    (``happy → happi``), and every word the reader's prefix begins is still found."""
    n = 0
    for a, b in zip(word, stem, strict=False):
        if a != b:
            break
        n += 1
    return word[:n] if n >= MIN_PREFIX else word
