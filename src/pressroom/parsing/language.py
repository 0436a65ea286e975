"""Tell English, Russian and Kazakh apart, fast enough to run on every item.

Why rules first: a statistical detector (lingua) costs ~150 µs per call, far over the
parser's budget, while the three languages are mostly told apart by their alphabets:

- Script: English is Latin, Russian and Kazakh are Cyrillic. Letters are counted on the
  UTF-8 bytes of a prefix with ``bytes.translate`` (one C pass each, a few µs in all),
  because Cyrillic letters are exactly the two-byte sequences led by 0xD0-0xD3.
- Kazakh Cyrillic has nine letters Russian lacks (ә ғ қ ң ө ұ ү һ і). In Kazakh prose
  they are ~8-12 % of the letters; a Russian text shows at most a few, in Kazakh names.
  A Latin ``i`` between Cyrillic letters counts as ``і`` (hand-typed copies mix them up).
- Kazakh in the Latin alphabets of 2018/2021 uses letters English never has
  (á ǵ ı ń ó ú ý ä ğ ñ ö ü ū ş); at >= 2 % of the Latin letters the text is Kazakh.

Only a Cyrillic text whose share of Kazakh letters sits in the grey band (a Russian text
quoting Kazakh names, or a Kazakh one too short to show its letters) goes to lingua,
restricted to Russian and Kazakh. A text without letters is reported as English, the
language of the site the listings come from.
"""

from __future__ import annotations

import re
import string
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

SAMPLE_CHARS = 600  # a prefix is enough: the language does not change mid-text
_KK_CYRILLIC_SURE = 0.03  # at or above: Kazakh
_KK_CYRILLIC_NONE = 0.005  # below (in a long enough text): Russian
_RU_MIN_LETTERS = 100  # fewer Cyrillic letters than this are too few to call "no Kazakh"
_KK_LATIN_SURE = 0.02

# UTF-8 lead bytes: 0xD0/0xD1 start U+0400-U+047F (the Russian alphabet and і),
# 0xD2/0xD3 start U+0480-U+04FF, where ғ қ ң ү ұ һ ә ө live. 0xC3-0xC5, 0xC7 start the
# accented Latin letters (á ó ú ý ä ö ü ñ ğ ş ı ń ū ǵ ...).


def _all_bytes_but(keep: bytes) -> bytes:
    """A ``bytes.translate`` delete table that leaves only the bytes in ``keep``."""
    return bytes(b for b in range(256) if b not in keep)


_CYRILLIC_LEADS = _all_bytes_but(b"\xd0\xd1\xd2\xd3")
_EXTENDED_CYRILLIC_LEADS = _all_bytes_but(b"\xd2\xd3")
_ACCENTED_LATIN_LEADS = _all_bytes_but(b"\xc3\xc4\xc5\xc7")
_ASCII_LETTERS = _all_bytes_but(string.ascii_letters.encode())
_KK_I = ("і".encode(), "І".encode())  # the one Kazakh letter below U+0480
_LATIN_I_IN_CYRILLIC = re.compile("(?<=[\u0400-\u04ff])[iI]|[iI](?=[\u0400-\u04ff])")
_KK_LATIN = re.compile("[áǵıńóúýäğñöüūşÁǴŃÓÚÝÄĞÑÖÜŪŞ]")


def detect_language(text: str) -> str:
    """Return "en", "ru" or "kk" for ``text`` (only its first ``SAMPLE_CHARS`` are read)."""
    sample = text[:SAMPLE_CHARS]
    data = sample.encode("utf-8", "surrogatepass")
    cyrillic = _count(data, _CYRILLIC_LEADS)
    latin = _count(data, _ASCII_LETTERS)
    if cyrillic * 2 < latin:
        return _latin_language(sample, data, latin)
    if cyrillic == 0:
        return "en"  # no letters at all
    kazakh = _count(data, _EXTENDED_CYRILLIC_LEADS) + data.count(_KK_I[0]) + data.count(_KK_I[1])
    verdict = _cyrillic_verdict(kazakh, cyrillic)
    if verdict is None:  # grey band: count Latin i typed for Kazakh і, then ask lingua
        kazakh += len(_LATIN_I_IN_CYRILLIC.findall(sample))
        verdict = _cyrillic_verdict(kazakh, cyrillic) or _ask_lingua(sample)
    return verdict


def _count(data: bytes, table: bytes) -> int:
    """How many bytes of ``data`` the ``_all_bytes_but`` table keeps (one C pass)."""
    return len(data.translate(None, table))


def _latin_language(sample: str, data: bytes, latin: int) -> str:
    """English, unless Kazakh Latin letters are frequent (the accent count is a cheap gate)."""
    threshold = _KK_LATIN_SURE * latin
    gate = _count(data, _ACCENTED_LATIN_LEADS) >= threshold
    return "kk" if gate and len(_KK_LATIN.findall(sample)) >= threshold else "en"


def _cyrillic_verdict(kazakh: int, cyrillic: int) -> str | None:
    if kazakh >= _KK_CYRILLIC_SURE * cyrillic:
        return "kk"
    if kazakh < _KK_CYRILLIC_NONE * cyrillic and cyrillic >= _RU_MIN_LETTERS:
        return "ru"
    return None


def _ask_lingua(sample: str) -> str:
    """Settle a grey-band Cyrillic text with lingua (Russian or Kazakh only)."""
    from lingua import Language

    found = _cyrillic_detector().detect_language_of(sample)
    return "kk" if found == Language.KAZAKH else "ru"


@cache
def _cyrillic_detector() -> LanguageDetector:
    """Built once, on first need: most runs never get here."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.RUSSIAN, Language.KAZAKH).build()
