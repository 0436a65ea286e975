"""A Kazakh stemmer: strips inflectional suffixes, right to left, one slot at a time.

Kazakh is agglutinative: a noun takes at most one suffix of each slot, in a fixed
order: ``stem + plural + possessive + case`` (``мектеп-тер-іміз-де`` "in our
schools"). Each suffix has variants for vowel harmony (back ``а ы`` / front ``е і``)
and for the sound before it (after a vowel, a voiced consonant, a nasal or a
voiceless consonant: ``-да / -та / -нда``). The stemmer removes the outermost
slot first and checks that what stays in front of a suffix is a sound that
variant may follow, which keeps it from cutting words that merely end in the
same letters (``Астана`` is not ``Аста + на``). The rules, in the order applied:

Each pass removes one suffix, trying the slots in this order, and starts again
until nothing more comes off:

1. **case** (one of): genitive ``ның нің дың дің тың тің``; dative ``ға ге қа ке``
   and, after a 3rd-person possessive, ``на не``; accusative ``ны ні ды ді ты ті``
   and, after a possessive, ``н``; locative ``да де та те`` and ``нда нде`` after a
   possessive; ablative ``дан ден тан тен нан нен``; instrumental ``мен бен пен``
   (also ``менен бенен пенен``); the relational ``дағы дегі тағы тегі ндағы ндегі``.
   Verb endings of the same slot: present ``ады еді`` (not ``-йды``, which would cut
   the accusative ``жағдай-ды``), participle ``атын етін`` (``йтын йтін`` after a
   vowel); the past ``-ды/-ті`` has the accusative's shape and goes with it.
2. **possessive**: 1st plural ``ымыз іміз мыз міз``; 3rd person ``сы сі`` (after a
   vowel other than ``ы і``: ``жұмысы`` is ``жұмыс-ы``, nouns in ``-ыс/-іс`` being far
   more common than stems in ``-ы/-і``) and ``ы і`` (after a consonant). The 1st/2nd
   singular ``-м, -ң`` are left alone: press releases hardly use them and they would
   cut ``адам``, ``келісім``.
3. **plural**: ``лар лер`` (after vowels and ``р у й``), ``дар дер`` (after
   ``л м н ң з ж``), ``тар тер`` (after voiceless consonants and ``б в г д``).
4. **past participle**: ``ған ген қан кен``.

Then a final ``б г ғ`` becomes ``п к қ``: these consonants voice before a vowel
(``кітап → кітабы``, ``әкімдік → әкімдігі``), so the bare stem is written unvoiced.

Harmony variants are all listed and the choice between them is not checked,
because loanwords break harmony (``банкте``, ``министрге``). A stem keeps at
least two letters and a vowel; one-letter suffixes need three letters left.
Derivational suffixes (``-лық``, ``-шы``, ``-сыз``) stay: they change the meaning.
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = frozenset("аәеёиоөуұүыіэюя")
_VOICELESS = frozenset("кқпстфхцчшщбвгд")  # followed by т/қ/к/п-variants
_NASAL = frozenset("мнң")
_VOICED = frozenset("лрйужз") | _NASAL
_ANY = VOWELS | _VOICELESS | _VOICED
_AFTER_POSSESSIVE = frozenset("ыі")  # "-на, -нда, -н" follow a 3rd-person possessive

# suffix -> letters that may stand right before it
_CASE: dict[str, frozenset[str]] = {}
_CASE.update(dict.fromkeys(("ның", "нің"), VOWELS | _NASAL))
_CASE.update(dict.fromkeys(("дың", "дің"), _VOICED - _NASAL))
_CASE.update(dict.fromkeys(("тың", "тің"), _VOICELESS))
_CASE.update(dict.fromkeys(("ға", "ге"), VOWELS | _VOICED))
_CASE.update(dict.fromkeys(("қа", "ке"), _VOICELESS))
_CASE.update(dict.fromkeys(("на", "не", "н", "нда", "нде", "ндағы", "ндегі"), _AFTER_POSSESSIVE))
_CASE.update(dict.fromkeys(("ны", "ні"), VOWELS))
_CASE.update(dict.fromkeys(("ды", "ді"), VOWELS | _VOICED))
_CASE.update(dict.fromkeys(("ты", "ті"), _VOICELESS))
_CASE.update(dict.fromkeys(("да", "де", "дағы", "дегі"), VOWELS | _VOICED))
_CASE.update(dict.fromkeys(("та", "те", "тағы", "тегі"), _VOICELESS))
_CASE.update(dict.fromkeys(("дан", "ден"), VOWELS | (_VOICED - _NASAL)))
_CASE.update(dict.fromkeys(("нан", "нен"), _NASAL | _AFTER_POSSESSIVE))
_CASE.update(dict.fromkeys(("тан", "тен"), _VOICELESS))
_CASE.update(dict.fromkeys(("мен", "менен"), VOWELS | _VOICED))
_CASE.update(dict.fromkeys(("бен", "бенен"), frozenset("жз") | _VOICED))
_CASE.update(dict.fromkeys(("пен", "пенен"), _VOICELESS))
# Verbs: 3rd person present/future "-ады/-еді" and the participle "-атын/-етін".
_CASE.update(dict.fromkeys(("ады", "еді", "атын", "етін"), _ANY - VOWELS))
_CASE.update(dict.fromkeys(("йтын", "йтін"), VOWELS))  # not "-йды": it would cut "жағдай-ды"

_POSSESSIVE: dict[str, frozenset[str]] = {}
_POSSESSIVE.update(dict.fromkeys(("ымыз", "іміз"), _ANY - VOWELS))
_POSSESSIVE.update(dict.fromkeys(("мыз", "міз"), VOWELS))
# "жұмыс-ы" or "жұмы-сы"? Nouns in -ыс/-іс are common, stems ending in ы/і rare.
_POSSESSIVE.update(dict.fromkeys(("сы", "сі"), VOWELS - _AFTER_POSSESSIVE))
_POSSESSIVE.update(dict.fromkeys(("ы", "і"), _ANY - VOWELS))

_PLURAL: dict[str, frozenset[str]] = {}
_PLURAL.update(dict.fromkeys(("лар", "лер"), VOWELS | frozenset("руй")))
_PLURAL.update(dict.fromkeys(("дар", "дер"), frozenset("лмнңзж")))
_PLURAL.update(dict.fromkeys(("тар", "тер"), _VOICELESS))

_PARTICIPLE: dict[str, frozenset[str]] = {}
_PARTICIPLE.update(dict.fromkeys(("ған", "ген"), VOWELS | _VOICED))
_PARTICIPLE.update(dict.fromkeys(("қан", "кен"), _VOICELESS))

SLOTS: tuple[dict[str, frozenset[str]], ...] = (_CASE, _POSSESSIVE, _PLURAL, _PARTICIPLE)
_UNVOICE = str.maketrans({"б": "п", "г": "к", "ғ": "қ"})


def _strip(word: str, slot: dict[str, frozenset[str]]) -> str:
    """Remove the longest suffix of one slot that the sound before it allows."""
    for size in (5, 4, 3, 2, 1):
        if len(word) <= size:
            continue
        suffix = word[-size:]
        allowed = slot.get(suffix)
        if allowed is None:
            continue
        stem = word[:-size]
        if stem[-1] not in allowed:
            continue
        if len(stem) < (3 if size == 1 else 2) or not VOWELS.intersection(stem):
            continue
        return stem
    return word


def _strip_one(word: str) -> str:
    """Remove one suffix: the outermost slot that has one."""
    for slot in SLOTS:
        stem = _strip(word, slot)
        if stem != word:
            return stem
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lower-case Cyrillic Kazakh word (other words come back as they are).

    After each suffix removed the rules start again from the case slot, so
    ``stem(w + suffix) == stem(w)`` whenever the suffix is the first thing cut:
    a bare word that only looks inflected (``аудан``) is cut the same way in
    every form of it (``ауданда → аудан → ау``), and its forms still meet.
    """
    while (shorter := _strip_one(word)) != word:
        word = shorter
    if word[-1:] in "бгғ":
        word = word[:-1] + word[-1].translate(_UNVOICE)
    return word
