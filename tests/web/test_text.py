"""How stored text is shown: paragraphs, the lead sentence, the word diff."""

from __future__ import annotations

from pressroom.web.text import DiffPart, lead, paragraphs, word_diff


def test_glued_sentences_become_paragraphs():
    body = (
        "It was considered.The Ambassador noted it.\n\n"
        "Mr.Valikhan spoke. In 2024.Among them, Op.20 too."
    )
    assert paragraphs(body) == [
        "It was considered.",
        "The Ambassador noted it.",
        "Mr.Valikhan spoke. In 2024.",
        "Among them, Op.20 too.",
    ]


def test_glued_sentences_in_cyrillic():
    assert paragraphs("Встреча прошла.Министр выступил.") == [
        "Встреча прошла.",
        "Министр выступил.",
    ]


def test_lead_is_the_first_sentence():
    assert lead("First one here. Second one.") == "First one here."
    assert lead("Ends here.Next starts") == "Ends here."
    assert lead("Mr. Smith spoke. Then more.") == "Mr. Smith spoke."
    assert lead("") == ""


def test_long_lead_is_cut_at_a_word():
    text = "word " * 100
    cut = lead(text, limit=50)
    assert cut.endswith("…") and len(cut) <= 51 and "wor…" not in cut


def test_word_diff():
    assert word_diff("The budget of 4 billion", "The budget of 5 billion") == [
        DiffPart("=", "The budget of "),
        DiffPart("-", "4"),
        DiffPart("+", "5"),
        DiffPart("=", " billion"),
    ]
    assert word_diff("", "New text") == [DiffPart("+", "New text")]
    same = word_diff("Same words", "Same words")
    assert same == [DiffPart("=", "Same words")]
