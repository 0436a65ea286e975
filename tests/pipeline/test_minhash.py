"""MinHash signatures and LSH band keys: determinism, edge cases, and the threshold on real text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from pressroom.pipeline import minhash
from pressroom.pipeline.minhash import (
    BANDS,
    NUM_PERM,
    ROWS,
    SAME_STORY_THRESHOLD,
    SHINGLE_SIZE,
    band_keys,
    estimated_similarity,
    is_empty,
    jaccard,
    shingles,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    tokens,
)

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
FOX = "The quick brown fox jumps over the lazy dog near the river bank today."


@cache
def corpus(name: str) -> dict[str, dict[str, str]]:
    path = DATA / "corpora" / name
    if not path.is_file():
        pytest.fail(f"test data not found: {path} (set PRESSROOM_SHARED_DATA)")
    with path.open(encoding="utf-8") as fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def text_of(name: str, doc_id: str) -> str:
    """Title, newline, body: what pipeline/candidate.py hashes."""
    r = corpus(name)[doc_id]
    return r["title"] + "\n" + "\n".join(p for p in r["body"].split("\n\n") if p)


def similarity(a: str, b: str) -> float:
    return estimated_similarity(signature(a), signature(b))


# --- tokens and shingles --------------------------------------------------------------


def test_tokens_are_normalised_words_in_any_script() -> None:
    assert tokens("Slovenia's «AI&Digital Bridge»") == ["slovenias", "ai", "digital", "bridge"]
    assert tokens("ҚАЗАҚСТАН Республикасының, 2026 ж.") == [
        "қазақстан",
        "республикасының",
        "2026",
        "ж",
    ]
    assert tokens("ＡＩ ﬁnance") == ["ai", "finance"]
    assert tokens("தமிழ் நாடு") == ["தமிழ்", "நாடு"]  # vowel signs stay inside words
    assert tokens("") == []
    assert tokens(" «—» … ") == []


def test_shingles_are_word_k_grams() -> None:
    words = [f"w{i}" for i in range(20)]
    assert len(shingles(" ".join(words))) == 20 - SHINGLE_SIZE + 1
    # Same words in another order: different shingles.
    assert shingles(" ".join(words)) != shingles(" ".join(reversed(words)))
    # Punctuation and case are not words.
    assert shingles(FOX) == shingles(FOX.upper().replace(" ", " — "))
    assert all(0 <= h < 2**64 for h in shingles(FOX))


def test_fewer_words_than_k_make_one_shingle() -> None:
    assert len(shingles("Hello world")) == 1
    assert shingles("Hello world") == shingles("hello, WORLD!")
    assert shingles("Hello world") != shingles("world hello")
    assert shingles("") == set()


# --- signatures -------------------------------------------------------------------------


def test_signature_shape_and_determinism() -> None:
    sig = signature(FOX)
    assert sig.dtype == np.uint32
    assert sig.shape == (NUM_PERM,)
    assert np.array_equal(sig, signature(FOX))
    assert BANDS * ROWS == NUM_PERM


def test_identical_and_unrelated_texts() -> None:
    assert similarity(FOX, FOX) == 1.0
    assert similarity(FOX, "Parliament approved the budget for the next fiscal year.") == 0.0


def test_empty_text_has_an_empty_signature_and_no_band_keys() -> None:
    empty = signature("")
    assert is_empty(empty)
    assert is_empty(signature("«—» …"))
    assert band_keys(empty) == []
    assert estimated_similarity(empty, empty) == 0.0
    assert estimated_similarity(empty, signature(FOX)) == 0.0
    assert signature_from_bytes(signature_to_bytes(empty)).tolist() == empty.tolist()


def test_short_text_still_has_band_keys() -> None:
    sig = signature("Hello world")
    assert not is_empty(sig)
    assert len(band_keys(sig)) == BANDS
    assert similarity("Hello world", "hello, world!") == 1.0


def test_bytes_round_trip_and_validation() -> None:
    sig = signature(FOX)
    data = signature_to_bytes(sig)
    assert isinstance(data, bytes)
    assert len(data) == 1 + 4 * NUM_PERM
    back = signature_from_bytes(data)
    assert back.dtype == np.uint32
    assert np.array_equal(back, sig)
    with pytest.raises(ValueError):
        signature_from_bytes(data[:-4])
    with pytest.raises(ValueError):
        signature_from_bytes(bytes([data[0] + 1]) + data[1:])
    with pytest.raises(ValueError):
        signature_to_bytes(sig[:-1])


# --- band keys --------------------------------------------------------------------------


def test_band_keys_fit_a_bigint_and_carry_their_band_index() -> None:
    keys = band_keys(signature(FOX))
    assert len(keys) == BANDS
    for band, key in enumerate(keys):
        assert -(2**63) <= key < 2**63
        assert (key % 2**64) >> 56 == band  # bands can never share a key
    assert band_keys(signature(FOX)) == keys


def test_equal_bands_give_equal_keys_only_in_the_same_band() -> None:
    sig = signature(FOX)
    other = sig.copy()
    other[ROWS:] = 0  # only band 0 unchanged
    keys, other_keys = band_keys(sig), band_keys(other)
    assert keys[0] == other_keys[0]
    assert not set(keys[1:]) & set(other_keys)


def test_band_keys_are_the_same_in_another_process() -> None:
    """Python's str hash is randomised per process; the keys must not depend on it."""
    code = (
        "import sys; from pressroom.pipeline import minhash as m;"
        "s = m.signature(sys.argv[1]);"
        "print(m.band_keys(s)); print(m.signature_to_bytes(s).hex())"
    )
    sig = signature(FOX)
    expected = f"{band_keys(sig)}\n{signature_to_bytes(sig).hex()}\n"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO / "src")}
        out = subprocess.run(
            [sys.executable, "-c", code, FOX], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout == expected


def test_band_keys_are_stable() -> None:
    """Stored band keys and signatures depend on these values: a change needs a new
    FORMAT_VERSION and a re-index."""
    assert band_keys(signature(FOX))[:3] == [
        36579876910788119,
        76467729291665648,
        198686928051132662,
    ]
    assert signature(FOX)[:4].tolist() == [50395967, 280253002, 602480667, 38801687]


# --- jaccard and the estimate -------------------------------------------------------------


def test_jaccard() -> None:
    assert jaccard({1, 2, 3}, {2, 3, 4}) == 0.5
    assert jaccard({1}, {1}) == 1.0
    assert jaccard({1}, {2}) == 0.0
    assert jaccard(set(), set()) == 0.0


def test_estimate_tracks_exact_jaccard_on_a_real_revised_story() -> None:
    a = text_of("bbc_news.jsonl", "politics/226")
    b = text_of("bbc_news.jsonl", "politics/265")
    exact = jaccard(shingles(a), shingles(b))
    assert 0.5 < exact < 0.95
    assert abs(similarity(a, b) - exact) < 0.15  # > 3 sigma at NUM_PERM = 128


# --- the threshold on real text -----------------------------------------------------------


@pytest.mark.parametrize(
    ("corpus_name", "a", "b"),
    [
        ("bbc_news.jsonl", "business/290", "business/438"),  # same body, re-titled
        ("bbc_news.jsonl", "sport/289", "sport/406"),  # two sentences edited
        ("bbc_news.jsonl", "politics/226", "politics/265"),  # two paragraphs added
        # The same Tamil release issued again the next day, one verb changed.
        ("lk_pmd_press_releases.jsonl", "2025-05-02-ta-9ab835", "2025-05-03-ta-ab426a"),
    ],
)
def test_real_copies_and_re_edits_pass_the_threshold(corpus_name: str, a: str, b: str) -> None:
    assert similarity(text_of(corpus_name, a), text_of(corpus_name, b)) >= SAME_STORY_THRESHOLD


@pytest.mark.parametrize(
    ("corpus_name", "a", "b"),
    [
        ("bbc_news.jsonl", "politics/327", "politics/328"),  # follow-up a week later
        ("bbc_news.jsonl", "business/138", "business/152"),  # next day's oil price story
        ("bbc_news.jsonl", "business/001", "sport/001"),  # unrelated
        # Recurring format: "acting ministers appointed" for different trips.
        ("lk_pmd_press_releases.jsonl", "2025-06-10-si-3acd56", "2025-07-28-si-3acd56"),
        ("lk_pmd_press_releases.jsonl", "2025-07-28-si-3acd56", "2025-09-23-si-9f94eb"),
        ("lk_pmd_press_releases.jsonl", "2025-06-10-en-486848", "2025-07-28-en-486848"),
    ],
)
def test_different_stories_stay_below_the_threshold(corpus_name: str, a: str, b: str) -> None:
    assert similarity(text_of(corpus_name, a), text_of(corpus_name, b)) < SAME_STORY_THRESHOLD


def test_real_copy_with_an_extra_line_and_a_dropped_sentence_is_a_candidate_and_passes() -> None:
    original = text_of("bbc_news.jsonl", "business/001")
    sentences = original.split(". ")
    edited = ". ".join(sentences[:3] + sentences[4:])
    edited += "\nSource : https://www.gov.kz/memleket/entities/mfa/press/news/details/1154138"
    a, b = signature(original), signature(edited)
    assert set(band_keys(a)) & set(band_keys(b))
    assert estimated_similarity(a, b) >= SAME_STORY_THRESHOLD


def test_tokens_cache_does_not_change_results() -> None:
    before = signature(FOX)
    minhash._TOKEN_CACHE.clear()
    assert np.array_equal(signature(FOX), before)
