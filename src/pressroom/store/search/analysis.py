"""Text analysis: the same words for the index and for queries, on every database.

Both backends index what this module makes, so SQLite and PostgreSQL see the
same terms and differ only in how they score them. For each word of a text:

- **Words** are runs of letters, digits and combining marks (so Tamil or
  Kazakh words stay whole), joined across inner apostrophes (``Kazakhstan's``).
  Hyphens, dots and every other sign separate words.
- **Normalised**: Unicode NFKC, then case-folded; Latin letters lose accents
  (``Jože → joze``), ``ё`` is ``е``. A word that mixes Latin and Cyrillic
  look-alikes (``Aлматы`` with a Latin ``A``, Kazakh ``i`` typed as Latin) is
  written in the script most of its letters are in.
- **Stemmed** by script and language: Latin words with the English Snowball
  stemmer; Cyrillic words with the Kazakh stemmer (``kazakh.py``) if they hold a
  Kazakh-only letter (``ә ғ қ ң ө ұ ү һ і``) or the text is Kazakh, else with the
  Russian Snowball stemmer; other scripts and numbers as they are. A query does
  not know its language, so a Cyrillic query word without Kazakh letters is
  looked up under both its Russian and its Kazakh stem (a *reading* each).
- **Keyed**: capitalised words (names, and every word of an all-capitals title)
  in Latin or Cyrillic letters also get a Latin skeleton key (``translit.py``),
  kept apart by the script they were written in. A query word looks for its key
  among the names of the *other* script only (``Shymkent`` among Cyrillic names,
  ``Шымкент`` among Latin ones): within one script the stems already match, and
  a second match of the same word would count it twice in the ranking.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import regex
import Stemmer

from pressroom.store.search import kazakh
from pressroom.store.search.translit import skeleton

WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’ʼ][\p{L}\p{M}]+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_KAZAKH_ONLY = frozenset("әғқңөұүһі")
_LATIN = regex.compile(r"\p{Latin}")
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
# Letters that look alike in the two scripts (Latin i stands for Kazakh і).
_TO_CYRILLIC = str.maketrans("aceiopxykmthb", "асеіорхукмтнв")
_TO_LATIN = str.maketrans("асеіорхукмтнвё", "aceiopxykmthbe")

MAX_WORD = 64  # longer words are cut: PostgreSQL refuses lexemes over 2 kB
READINGS = ("ru", "kk")  # how a Cyrillic word without Kazakh letters may be read
_english = Stemmer.Stemmer("english")
_russian = Stemmer.Stemmer("russian")


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised word: where it stands in the text, its stem and (for names) its key."""

    start: int
    end: int
    stem: str
    key: str
    cyrillic: bool  # the key is of a word in Cyrillic letters


def reading_for(lang: str | None) -> str:
    """The reading of Cyrillic words in a text of this language."""
    return "kk" if lang == "kk" else "ru"


def tokens(text: str, lang: str | None) -> Iterator[Token]:
    """The words of ``text`` as indexed for an article in language ``lang``."""
    reading = reading_for(lang)
    for match in WORD.finditer(text):
        start, end = match.span()
        for stem, key, cyrillic in analyse_word(match.group(), reading):
            yield Token(start, end, stem, key, cyrillic)


@dataclass(slots=True)
class Terms:
    """What one text adds to the index: its stems in order, and the keys of its names."""

    stems: list[str]
    latin_keys: list[str]
    cyrillic_keys: list[str]


class _IndexForms(dict[str, tuple[str, str, str]]):
    """raw word -> (its stems joined by spaces, Latin-name key, Cyrillic-name key), filled
    on first sight: indexing then costs one dict look-up per word. Emptied when it holds
    ``MAX_FORMS`` words: news vocabulary repeats, but names, numbers and typos keep
    coming, and at 2,000,000 words (the bound until session 3) the two readings' tables
    and the word cache held 740 MB."""

    def __init__(self, reading: str) -> None:
        super().__init__()
        self.reading = reading

    def __missing__(self, raw: str) -> tuple[str, str, str]:
        if len(self) >= MAX_FORMS:
            self.clear()
        words = _analyse_word(raw, self.reading)  # not through the query-side cache
        latin = " ".join(k for _, k, cyrillic in words if k and not cyrillic)
        cyrillic = " ".join(k for _, k, is_cyr in words if k and is_cyr)
        forms = (" ".join(stem for stem, _, _ in words), latin, cyrillic)
        self[raw] = forms
        return forms


MAX_FORMS = 200_000  # words per reading; about 45 MB at most
_FORMS = {reading: _IndexForms(reading) for reading in READINGS}


# Signs that may stand at either end of a word in running text; none of them is a letter,
# digit, mark or apostrophe, so taking them off never changes what ``WORD`` finds.
_EDGES = '.,;:!?()[]{}<>"«»“”„‘/\\-–—…*#%+=|~'


def raw_words(text: str) -> list[str]:
    """``WORD.findall(text)``, faster: most whitespace-separated pieces of running text are
    one word as they stand (``str.isalnum``) or once a comma or bracket is taken off their
    ends; only the others go through the pattern. No ``WORD`` match spans whitespace."""
    out: list[str] = []
    add = out.append
    for piece in text.split():
        if piece.isalnum():
            add(piece)
        elif (core := piece.strip(_EDGES)).isalnum():
            add(core)
        else:
            out += WORD.findall(piece)
    return out


def index_terms(text: str, lang: str | None) -> Terms:
    """``tokens`` without offsets, for indexing many articles fast."""
    found = list(map(_FORMS[reading_for(lang)].__getitem__, raw_words(text)))
    # map/filter/itemgetter run in C: a third faster than list comprehensions here.
    return Terms(
        list(filter(None, map(_STEMS, found))),
        list(filter(None, map(_LATIN_KEYS, found))),
        list(filter(None, map(_CYRILLIC_KEYS, found))),
    )


_STEMS, _LATIN_KEYS, _CYRILLIC_KEYS = itemgetter(0), itemgetter(1), itemgetter(2)


def _analyse_word(raw: str, reading: str) -> tuple[tuple[str, str, bool], ...]:
    """(stem, key, is Cyrillic) of each word in one raw match; NFKC can split one match in
    two (``½``). Only capitalised words get a key."""
    capitalised = raw[:1].isupper()
    out: list[tuple[str, str, bool]] = []
    for word in WORD.findall(unicodedata.normalize("NFKC", raw).casefold()):
        word = _one_script(word)
        stem = stem_word(word, reading)
        if stem:
            key = skeleton(word) if capitalised else ""
            out.append((stem, key, is_cyrillic(word)))
    return tuple(out)


# Queries and snippets analyse few words, again and again.
analyse_word = lru_cache(maxsize=50_000)(_analyse_word)


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


def normalise(word: str) -> list[str]:
    """The normalised, unstemmed words of one raw query word (for prefixes and keys)."""
    text = unicodedata.normalize("NFKC", word).casefold()
    return [_one_script(w) for w in WORD.findall(text)]


def stem_word(word: str, reading: str) -> str:
    """Stem of one normalised word (see the module docstring)."""
    word = prestem(word)
    if _CYRILLIC.search(word):
        if reading == "kk" or not _KAZAKH_ONLY.isdisjoint(word):
            return kazakh.stem(word)
        return str(_russian.stemWord(word))
    if _LATIN.search(word):
        return str(_english.stemWord(word)).translate(_APOSTROPHES)
    return word


def prestem(word: str) -> str:
    """A normalised word as the stemmers get it: no accents on Latin letters, ``ё`` as ``е``,
    no apostrophes outside English, at most ``MAX_WORD`` letters."""
    word = word[:MAX_WORD]
    if _CYRILLIC.search(word):
        return word.replace("ё", "е").translate(_APOSTROPHES)
    if _LATIN.search(word):
        return _strip_accents(word).replace("’", "'").replace("ʼ", "'")
    return word.translate(_APOSTROPHES)


def readings_of(word: str) -> tuple[str, ...]:
    """The readings under which a normalised query word may have been indexed."""
    if _CYRILLIC.search(word) and _KAZAKH_ONLY.isdisjoint(word):
        return READINGS
    return READINGS[:1]


def _one_script(word: str) -> str:
    latin = len(_LATIN.findall(word))
    if not latin:
        return word
    cyrillic = len(_CYRILLIC.findall(word))
    if not cyrillic:
        return word
    return word.translate(_TO_CYRILLIC if cyrillic >= latin else _TO_LATIN)


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
