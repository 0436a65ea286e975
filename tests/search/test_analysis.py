"""Text analysis: normalisation, stems by script and language, name keys across scripts."""

from __future__ import annotations

import pytest

from pressroom.store.search.analysis import MAX_WORD, index_terms, stem_word, tokens
from pressroom.store.search.translit import query_key, skeleton


def stems(text: str, lang: str = "en") -> list[str]:
    return index_terms(text, lang).stems


def test_nfkc_and_case_folding():
    assert stems("ＫＡＺＡＫＨＳＴＡＮ ﬁnance") == stems("kazakhstan finance")
    assert stems("STRASSE") == stems("straße")


def test_english_stems_and_possessives():
    assert stems("Kazakhstan's ministries") == stems("kazakhstan ministry")
    assert stems("constitutional") == stems("constitution")


def test_latin_accents_are_dropped():
    assert stems("Jože Colarič") == stems("Joze Colaric")


def test_russian_stems():
    assert stems("министерства", "ru") == stems("министерство", "ru")
    assert stems("встречи", "ru") == stems("встреча", "ru")
    assert stems("ёлка", "ru") == stems("елка", "ru")


def test_cyrillic_reading_follows_the_language_or_kazakh_letters():
    # A Kazakh article's Cyrillic words go to the Kazakh stemmer ...
    assert stems("мектептерде", "kk") == ["мектеп"]
    # ... and so does any word with a Kazakh-only letter, whatever the language.
    assert stems("Қазақстанның", "ru") == stems("Қазақстан", "kk")
    # A Russian article's Cyrillic words go to the Russian stemmer.
    assert stem_word("встречи", "ru") != stem_word("встречи", "kk")


def test_look_alike_letters_are_put_in_one_script():
    # Latin "A" in a Cyrillic word; Kazakh і typed as Latin i.
    assert stems("Aлматы", "kk") == stems("Алматы", "kk")
    assert stems("бiлiм", "kk") == stems("білім", "kk")
    # Cyrillic "о" in a Latin word.
    assert stems("Astanа") == stems("Astana")


def test_other_scripts_stay_whole():
    tamil = "தமிழ்நாடு"
    sinhala = "ශ්රී"
    assert stems(f"{tamil} {sinhala}", "ta") == [tamil, sinhala]


def test_numbers_and_words_split_at_signs():
    assert stems("COVID-19 on 03.02.2026") == ["covid", "19", "on", "03", "02", "2026"]


def test_very_long_words_are_cut():
    (stem,) = stems("a" * 10_000)
    assert len(stem) <= MAX_WORD


def test_token_offsets_point_into_the_original_text():
    text = "In Shymkent, «Қазақстан» ﬁnance."
    for t in tokens(text, "en"):
        assert text[t.start : t.end].strip()
    assert [text[t.start : t.end] for t in tokens(text, "en")] == [
        "In",
        "Shymkent",
        "Қазақстан",
        "ﬁnance",
    ]


@pytest.mark.parametrize(
    "spellings",
    [
        "Shymkent Шымкент",
        "Qazaqstan Kazakhstan Казахстан Қазақстан",
        "Almaty Алматы",
        "Zhambyl Jambyl Жамбыл",
        "Aktobe Ақтөбе Aqtöbe",
        "Yerlan Ерлан",
    ],
)
def test_one_key_for_one_name_in_every_script(spellings):
    assert len({skeleton(w.casefold()) for w in spellings.split()}) == 1


@pytest.mark.parametrize(
    ("query", "inflected"),
    [
        ("Shymkent", "Шымкенттің"),
        ("Shymkent", "Шымкента"),
        ("Qazaqstan", "Қазақстанның"),
        ("Almaty", "Алматыда"),
        ("Astana", "Астаны"),
        ("Kazakhstan", "Казахстане"),
    ],
)
def test_a_query_key_is_a_prefix_of_inflected_names(query, inflected):
    assert skeleton(inflected.casefold()).startswith(query_key(query.casefold()))


def test_only_names_get_keys_by_script():
    terms = index_terms("the akimat of Shymkent met in ШЫМКЕНТ", "en")
    assert terms.latin_keys == ["ximkint"]
    assert terms.cyrillic_keys == ["ximkint"]


def test_short_words_make_no_query_key():
    assert query_key("on") == "" and query_key("the") == ""


EDGE_CASES = [
    "a\x1cb x\u2028y z\x85w",  # separators str.split() knows
    "½ ² ⓪ 𐄇 Ⅻ",  # numbers of every kind
    "don't ‘quoted’ “Astana” «Алматы» state-owned — (Shymkent), [1] {x} <b>",
    "Қазақстан, Алматы. e\u0301te ke\u0301 *starred* #tag 50% a+b=c|d~e",
    "ශ්‍රී ලංකා, தமிழ்நாடு.",  # combining marks and joiners
    "",
    "   ",
]


def test_raw_words_finds_what_the_word_pattern_finds(shared_data):
    """The fast path of indexing splits at whitespace first; on real text of every kind it
    finds exactly the words of ``WORD.findall``."""
    import json

    from pressroom.store.search.analysis import WORD, raw_words

    texts = list(EDGE_CASES)
    for name in ("bbc_news.jsonl", "lk_pmd_press_releases.jsonl"):
        with open(shared_data / "corpora" / name, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                texts += [record["title"], record["body"]]
    texts += [p.read_text(encoding="utf-8") for p in (shared_data / "listing").rglob("*.txt")]
    assert len(texts) > 5_000
    assert [t for t in texts if raw_words(t) != WORD.findall(t)] == []


def test_the_word_table_of_indexing_stays_bounded(monkeypatch):
    """Names, numbers and typos keep coming: the table of analysed words is emptied when
    full, and what it gives back is the same before and after."""
    from pressroom.store.search import analysis

    monkeypatch.setattr(analysis, "MAX_FORMS", 100)
    monkeypatch.setitem(analysis._FORMS, "ru", analysis._IndexForms("ru"))
    text = " ".join(f"Word{i} running" for i in range(1_000))
    first = index_terms(text, "en")
    assert len(analysis._FORMS["ru"]) <= 100
    assert index_terms(text, "en") == first
    assert first.stems[:4] == ["word0", "run", "word1", "run"]
