"""Language detection on real sentences: English, Russian (from the listing pages), Kazakh."""

from __future__ import annotations

import time

import pytest

from pressroom.parsing import language
from pressroom.parsing.language import detect_language

ENGLISH = [
    "The President of Kazakhstan met foreign investors in Astana.",
    "In Shymkent, work is being carried out in stages to provide housing for citizens in need. "
    "This time, 26 more families on the housing waiting list received their long-awaited homes.",
    "Ljubljana, February 2, 2026 – At the meetings of the Ambassador of the Republic of "
    "Kazakhstan to Slovenia, Altay Abibullayev, with the leadership of world–famous "
    "pharmaceutical companies in Slovenia, the head of KRKA, Jože Colarič, ...",
]
RUSSIAN = [  # from listing/real/enbekshiqazaq_kz_en_category_9*.txt
    "Казахстан и Туркменистан расширяют «зеленый коридор» для овощей и фруктов",
    "Заместитель Премьер-министра – министр национальной экономики РК Серик Жумангарин провел "
    "встречу с заместителем председателя Кабинета Министров Туркменистана Ходжамыратом "
    "Гельдимырадовым.Вице-премьер отметил, что Туркменистан является важным партнером "
    "Казахстана в Центральной Азии.",
    "Воспитателям детсадов по результатам национального тестирования повысят зарплату от 30% "
    "до 50% — Э. Суханбердиева",
    "Новости",
]
KAZAKH = [
    "Қазақстан Республикасының Президенті Қасым-Жомарт Тоқаев Астанада шетелдік "
    "инвесторлармен кездесті.",
    "Үкімет отырысында елдегі егін жинау науқанының барысы қаралды.",
    "Шымкент қаласында мұқтаж отбасыларға жаңа пәтерлердің кілттері табысталды.",
    "Білім және ғылым министрлігі жаңа оқу жылына дайындық туралы хабарлады.",
    "Жаңалықтар",
]


@pytest.mark.parametrize("text", ENGLISH)
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", RUSSIAN)
def test_russian(text: str) -> None:
    assert detect_language(text) == "ru"


@pytest.mark.parametrize("text", KAZAKH)
def test_kazakh(text: str) -> None:
    assert detect_language(text) == "kk"


def test_kazakh_typed_with_latin_i() -> None:
    text = "Президентi Тоқаев Астанада шетелдiк инвесторлармен кездестi."
    assert text.count("i") == 3  # Latin look-alikes of Kazakh і
    assert detect_language(text) == "kk"


def test_kazakh_in_latin_script() -> None:
    text = (
        "Qazaqstan Respýblıkasynyń Prezıdenti Qasym-Jomart Toqaev Astanada sheteldik "
        "ınvestorlarmen kezdesti."
    )
    assert detect_language(text) == "kk"


def test_russian_quoting_kazakh_names_goes_to_lingua(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "Аким Шымкента Габит Сыздыкбеков встретился с представителями объединения «Қазақстан "
        "халқы Ассамблеясы» и обсудил вопросы межэтнического согласия."
    )
    asked: list[str] = []
    ask = language._ask_lingua

    def spy(sample: str) -> str:
        asked.append(sample)
        return ask(sample)

    monkeypatch.setattr(language, "_ask_lingua", spy)
    assert detect_language(text) == "ru"
    assert asked == [text]


def test_clear_texts_never_reach_lingua(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(sample: str) -> str:
        raise AssertionError(f"lingua asked about {sample[:40]!r}")

    monkeypatch.setattr(language, "_ask_lingua", fail)
    for text in [*ENGLISH, *RUSSIAN[:3], *KAZAKH]:
        detect_language(text * 20)


def test_russian_title_over_english_body_is_english() -> None:
    assert detect_language(RUSSIAN[2] + " " + ENGLISH[1] * 3) == "en"


def test_only_a_prefix_is_read() -> None:
    assert detect_language(ENGLISH[1] * 10 + RUSSIAN[1] * 100) == "en"


@pytest.mark.parametrize("text", ["", "12345 — 03.02.2026", "«»"])
def test_no_letters_means_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_fast_on_two_thousand_characters() -> None:
    texts = [(sample * 30)[:2000] for sample in (ENGLISH[1], RUSSIAN[1], KAZAKH[0])]
    started = time.perf_counter()
    for _ in range(1000):
        for text in texts:
            detect_language(text)
    per_call = (time.perf_counter() - started) / 3000
    assert per_call < 100e-6  # measured ~5-10 µs; lingua alone costs ~150 µs
