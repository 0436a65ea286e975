"""Candidates compute their keys once; the shortcuts must equal the documented functions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pressroom.pipeline import fingerprint, minhash
from pressroom.pipeline.normalize import clean_paragraphs, clean_text
from tests.conftest import SHARED_DATA


def press_releases(n: int) -> list[dict]:
    with open(SHARED_DATA / "corpora" / "lk_pmd_press_releases.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for _, line in zip(range(n), f, strict=False)]


@pytest.mark.parametrize("record", press_releases(60), ids=lambda r: r["id"])
def test_word_shortcuts_equal_the_text_functions(record):
    paragraphs = record["body"].split("\n\n")
    title_words = fingerprint.words(record["title"])
    body_words = fingerprint.words("\n".join(paragraphs))
    assert fingerprint.fingerprint_of_words(title_words, body_words) == (
        fingerprint.exact_fingerprint(record["title"], paragraphs)
    )
    assert fingerprint.title_key_of_words(title_words) == fingerprint.title_key(record["title"])
    text = record["title"] + "\n" + "\n".join(paragraphs)
    assert np.array_equal(
        minhash.signature_of_words(title_words + body_words), minhash.signature(text)
    )


def test_clean_text_removes_only_invisible_noise():
    assert clean_text("  a\u200bb  c\td\x01e\u00a0 f ") == "ab c d e f"
    assert clean_text("Slovenia's «AI&Digital Bridge» – 2026") == (
        "Slovenia's «AI&Digital Bridge» – 2026"
    )
    assert clean_text("e\u0301") == "\u00e9"  # NFC


def test_clean_paragraphs_drops_empty_ones():
    assert clean_paragraphs(["One.", " \u200b ", "", "Two."]) == ("One.", "Two.")
