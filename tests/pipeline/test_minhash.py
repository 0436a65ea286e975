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
    FORMAT_VERSION and a migration that re-signs stored articles (like 0007)."""
    assert minhash.FORMAT_VERSION == 2
    assert band_keys(signature(FOX))[:3] == BAND_KEYS_OF_FOX
    assert signature(FOX)[:4].tolist() == SIGNATURE_OF_FOX


BAND_KEYS_OF_FOX = [58228938918551892, 139050025479610459, 205989779694392049]
SIGNATURE_OF_FOX = [1538998811, 2655019597, 2232201321, 2232201321]


def test_word_hash_is_keyed_fnv1a_of_utf8() -> None:
    # Published FNV-1a 64 test vectors.
    assert minhash.fnv1a_64(b"") == 0xCBF29CE484222325
    assert minhash.fnv1a_64(b"a") == 0xAF63DC4C8601EC8C
    assert minhash.fnv1a_64(b"foobar") == 0x85944171F73967E8
    assert minhash.token_hash("қазақстан") == minhash._mix_int(
        minhash.fnv1a_64("қазақстан".encode()) ^ minhash._TOKEN_KEY
    )
    mixed = minhash._mix(np.array([12345, 2**64 - 1], dtype=np.uint64)).tolist()
    assert mixed == [minhash._mix_int(12345), minhash._mix_int(2**64 - 1)]


# --- one-permutation hashing ----------------------------------------------------------------


def test_every_bin_is_filled_however_short_the_text() -> None:
    rng = np.random.default_rng(5)
    for size in (1, 2, 5, 40, 127, 128, 129, 1000):
        hashes = rng.integers(0, 2**64, size=size, dtype=np.uint64)
        sig = minhash.signature_of_hashes(hashes)
        # Every value is one of the hashes' (bin, value) pairs: densification copies.
        own = {int(h >> np.uint64(25)) & 0xFFFFFFFF for h in hashes}
        assert set(sig.tolist()) <= own
        assert np.array_equal(sig, minhash.signature_of_hashes(hashes[::-1]))  # a set


def test_each_bin_keeps_the_smallest_value_of_its_hashes() -> None:
    hashes = np.array([(3 << 57) | (7 << 25), (3 << 57) | (5 << 25), (3 << 57) | (9 << 25)])
    sig = minhash.signature_of_hashes(hashes.astype(np.uint64))
    assert sig[3] == 5
    assert set(sig.tolist()) == {5}  # the only filled bin fills all the others


def test_one_permutation_estimate_is_unbiased_on_real_shingles() -> None:
    """Pairs (a text, a random part of it): the estimate against the exact Jaccard."""
    rng = np.random.default_rng(11)
    texts = [text_of("bbc_news.jsonl", i) for i in sorted(corpus("bbc_news.jsonl"))[:300]]
    errors = []
    for text in texts:
        a = np.array(sorted(shingles(text)), dtype=np.uint64)
        b = a[rng.random(a.size) < rng.uniform(0.3, 1.0)]
        if b.size == 0:
            continue
        exact = b.size / a.size
        sig_a, sig_b = minhash.signature_of_hashes(a), minhash.signature_of_hashes(b)
        errors.append(estimated_similarity(sig_a, sig_b) - exact)
    err = np.array(errors)
    assert abs(err.mean()) < 0.01
    assert np.sqrt((err**2).mean()) < 0.05  # k independent permutations: ~0.04


def test_hash_families_differ_and_bins_must_be_a_power_of_two() -> None:
    hashes = np.array(sorted(shingles(FOX)), dtype=np.uint64)
    assert not np.array_equal(
        minhash.signature_of_hashes(hashes), minhash.signature_of_hashes(hashes, seed=7)
    )
    assert minhash.signature_of_hashes(hashes, bins=64).shape == (64,)
    with pytest.raises(ValueError):
        minhash.signature_of_hashes(hashes, bins=100)


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
