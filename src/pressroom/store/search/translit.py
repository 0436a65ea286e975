"""Latin "skeletons" of names, so that one name matches across scripts and spellings.

``Shymkent``, ``Шымкент`` and ``Шымкенттің`` should meet, and so should
``Qazaqstan``, ``Kazakhstan``, ``Казахстан`` and ``Қазақстан``. Every name (a
capitalised word) in a text gets a *key*: the word written in a reduced Latin
alphabet where the usual ways of spelling one sound collapse to one letter:

1. Cyrillic (Russian and Kazakh letters) is written in Latin the usual way
   (``ш → sh``, ``қ → q``, ``ң → n``, ``я → ya``, soft and hard signs dropped).
2. All Latin spellings of the same sounds fold to the same letters: ``sh shch ş → x``,
   ``zh j → j``, ``kh q → k``, ``ch ts ç → c``, ``ph → f``, ``x → ks``, ``w → u``,
   ``ğ → g``, ``ñ → n``, other accents dropped (``ž → z``).
3. Vowels fold to four: ``a ä ә → a``, ``e i y ı і и ы й э → i``, ``o ö ө → o``,
   ``u ü ū ұ ү у → u``.
4. Doubled letters collapse (``Kazakhstanning → kazakstanin``).

A query word matches the keys that *start with* its own key less any final
vowels (``Almaty → almat``, which begins ``almati``, ``almatida``, ``almatinin``):
case endings in any of the three languages only add letters at the end, so the
prefix absorbs them without a stemmer that knows names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y", "і": "i", "к": "k", "қ": "q",
    "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip
_LATIN_SPECIAL = {"ş": "x", "ç": "c", "ğ": "g", "ı": "i", "ñ": "n", "ŋ": "n", "ß": "ss"}
_DIGRAPHS = re.compile(r"shch|sh|ch|zh|kh|ts|ph|[xqwyej]")
_DIGRAPH_MAP = {
    "shch": "x", "sh": "x", "ch": "c", "zh": "j", "kh": "k", "ts": "c", "ph": "f",
    "x": "ks", "q": "k", "w": "u", "y": "i", "e": "i", "j": "j",
}  # fmt: skip
_DOUBLES = re.compile(r"(.)\1+")
_FINAL_VOWELS = re.compile(r"[aiou]+$")
_ASCII_KEY = re.compile(r"[a-z]+")

MIN_QUERY_KEY = 4  # shorter keys would match too many unrelated words


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The key of one case-folded word in Latin or Cyrillic letters; "" for anything else."""
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in word if ch not in "'’ʼ")
    latin = "".join(_LATIN_SPECIAL.get(ch, ch) for ch in latin)
    latin = "".join(
        ch for ch in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(ch)
    )
    if not _ASCII_KEY.fullmatch(latin):
        return ""  # digits, other scripts, leftovers: not a name we can spell
    folded = _DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group()], latin)
    return _DOUBLES.sub(r"\1", folded)


def query_key(word: str) -> str:
    """The prefix a query word's key must start: its key less final vowels, or "" if too short."""
    key = _FINAL_VOWELS.sub("", skeleton(word))
    return key if len(key) >= MIN_QUERY_KEY else ""
