"""The Kazakh stemmer on real word forms: every form of a word meets, different words stay apart."""

from __future__ import annotations

import pytest

from pressroom.store.search.kazakh import stem

# Each line: forms of one word as they occur in Kazakh government news.
SAME_WORD = [
    "Қазақстан Қазақстанның Қазақстанға Қазақстанды Қазақстанда Қазақстаннан Қазақстанмен "
    "Қазақстандағы",
    "мектеп мектептер мектептің мектепке мектепте мектептен мектептерде мектептеріміз "
    "мектептерінде мектебі",
    "әкімдік әкімдігі әкімдігінің әкімдігіне әкімдігінде әкімдіктің әкімдікке",
    "облыс облысы облысының облыста облыстың облысқа облыстар",
    "ел елдің елге елде елдер елдерде еліміз елімізде елімізге",
    "Президент Президенттің Президентке Президенті Президентінің Президентпен",
    "бала балалар балалардың балаларға балаларды",
    "қала қаласы қаласының қалада қалалар қалаға қаладағы",
    "жұмыс жұмысы жұмыстары жұмыстарын жұмысқа жұмыста",
    "кітап кітабы кітабын кітаптар",
    "Астана Астанада Астананың Астанаға Астанадан",
    "Конституция Конституцияның Конституциясы Конституцияда Конституцияға",
    "министрлік министрлігі министрлігінің министрлікке",
    "жоба жобалар жобасы жобаның жобаны",
    "аудан ауданда ауданның аудандар аудандарында",
    "ұйым ұйымы ұйымдар ұйымдары ұйымның",
    "Шымкент Шымкенттің Шымкентте Шымкентке",
    "білім білімі білімнің білімге",
    "адам адамдар адамның адамға",
    "Алматы Алматыда Алматының Алматыға Алматыдан",
    "өңір өңірде өңірдің өңірлер өңірлерде өңірге",
    "жиын жиында жиынның жиынға",
    "бол болды болады болған болатын",
    "өт өтті өтеді өткен",
]

# Words that end like a suffix but are not inflected: they come back whole.
WHOLE = [
    "астана",
    "қала",
    "бала",
    "жоба",
    "сала",
    "мекен",
    "ақтөбе",
    "павлодар",
    "атырау",
    "ана",
    "адам",
    "келісім",
    "білім",
    "жағдай",
    "мектеп",
]

DIFFERENT = [("бала", "бал"), ("қала", "қал"), ("ана", "ан"), ("мекен", "мектеп"), ("ел", "ет")]


@pytest.mark.parametrize("forms", SAME_WORD, ids=lambda f: f.split()[0])
def test_every_form_of_a_word_has_one_stem(forms):
    stems = {form: stem(form.lower()) for form in forms.split()}
    assert len(set(stems.values())) == 1, stems


@pytest.mark.parametrize("word", WHOLE)
def test_uninflected_words_are_left_whole(word):
    assert stem(word) == word


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_words_stay_apart(a, b):
    assert stem(a) != stem(b)


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("мектептерімізде", "мектеп"),  # plural + 1st plural possessive + locative
        ("әкімдігінде", "әкімдік"),  # voiced г back to к
        ("кітабын", "кітап"),  # voiced б back to п
        ("қазақстандағы", stem("қазақстан")),  # relational -дағы
        ("жұмысы", "жұмыс"),  # -ы after с, not -сы
        ("сапасы", "сапа"),  # -сы after a vowel
        ("балаларға", "бала"),
    ],
)
def test_suffix_slots(form, expected):
    assert stem(form) == expected


def test_a_stem_keeps_a_vowel_and_two_letters():
    assert stem("да") == "да"
    assert stem("ды") == "ды"
    assert stem("үйде") == "үй"
    assert stem("сн") == "сн"


def test_stemming_twice_changes_nothing():
    for forms in SAME_WORD:
        for form in forms.lower().split():
            assert stem(stem(form)) == stem(form)
