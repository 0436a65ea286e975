"""Near-duplicate detection: MinHash signatures and LSH band keys.

A re-edited copy of a press release (a sentence changed, a line added, a title
reworded) no longer has the exact fingerprint of the original, but most of its
word k-shingles are the same. MinHash estimates the Jaccard similarity of two
shingle sets from fixed-size signatures; LSH banding turns a signature into
``BANDS`` keys such that two texts with a high similarity very probably share
at least one key. The keys live in a database table (``BandKey``), so every
process that shares the database shares the index; the candidates it returns
are then verified with ``estimated_similarity >= SAME_STORY_THRESHOLD``.

Everything here is deterministic across processes and machines: hashes come
from BLAKE2b and fixed constants, never from Python's randomised ``hash()`` or
from NumPy's random streams (which may change between NumPy versions).

Short and empty texts: a text with fewer words than ``SHINGLE_SIZE`` is one
shingle of all its words (two such texts match only if their words are the
same); a text without words has an empty signature, which has no band keys and
a similarity of 0 with everything, itself included.

The constants are chosen by measurement: see ``docs/dedup.md`` and
``bench/dedup_thresholds.py``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Set as AbstractSet

import numpy as np
import numpy.typing as npt

from pressroom.pipeline.fingerprint import words

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SAME_STORY_THRESHOLD",
    "SHINGLE_SIZE",
    "Signature",
    "band_keys",
    "estimated_similarity",
    "is_empty",
    "jaccard",
    "shingles",
    "signature",
    "signature_from_bytes",
    "signature_of_words",
    "signature_to_bytes",
    "tokens",
]

Signature = npt.NDArray[np.uint32]

# --- measured constants: docs/dedup.md, bench/dedup_thresholds.py ----------------
# 5-word shingles: longer shingles push down different stories that share a
# template or background paragraphs (max 0.53 on PMD, 0.46 on BBC at k = 5,
# against 0.66 / 0.52 at k = 3) while copies stay >= 0.93.
SHINGLE_SIZE = 5
# 128 values: RMS estimation error 0.027. 256 (RMS 0.021) did no better at the
# chosen threshold, for twice the time and storage.
NUM_PERM = 128
# 32 bands x 4 rows: a pair at J = 0.65 becomes a candidate with p = 0.997, one
# at J = 0.3 with p = 0.23, so the band-key table proposes few unrelated articles.
BANDS = 32
ROWS = 4
# Verification on the estimate: 0 false merges of different stories/releases in
# 40 permutation families at 0.65 (0.15 on average at 0.60); BBC copies 55/55,
# revised versions 7/14.
SAME_STORY_THRESHOLD = 0.65
assert BANDS * ROWS == NUM_PERM and BANDS <= 256  # the band index fits the top byte of a key

# Bump whenever tokens, shingle hashing or the permutations change: stored
# signatures and band keys of another format must not be compared with new ones.
FORMAT_VERSION = 1
_EMPTY_VALUE = np.uint32(0xFFFFFFFF)
_U64 = np.uint64
_TOKEN_PERSON = f"prm-tok-v{FORMAT_VERSION}".encode()
_PERM_PERSON = f"prm-perm-v{FORMAT_VERSION}".encode()
_BAND_PERSON = f"prm-band-v{FORMAT_VERSION}".encode()
_SHINGLE_MULTIPLIER = _U64(0x100000001B3)  # odd: the rolling combination is invertible


def _u64(data: bytes) -> int:
    return int.from_bytes(data, "little")


def _permutations(num_perm: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """Multipliers (odd) and offsets of the hash family h(x) = (a*x + b) mod 2**64."""
    a = np.empty(num_perm, dtype=np.uint64)
    b = np.empty(num_perm, dtype=np.uint64)
    for i in range(num_perm):
        digest = hashlib.blake2b(i.to_bytes(4, "little"), digest_size=16, person=_PERM_PERSON)
        raw = digest.digest()
        a[i] = _u64(raw[:8]) | 1
        b[i] = _u64(raw[8:])
    return a, b


_PERM_A, _PERM_B = _permutations(NUM_PERM)
_PERM_B_COLUMN = _PERM_B[:, np.newaxis]


def tokens(text: str) -> list[str]:
    """Normalised words: NFKC, case-folded runs of letters, marks and digits (any script)."""
    return words(text)


def _token_hash(token: str) -> int:
    return _u64(
        hashlib.blake2b(token.encode("utf-8"), digest_size=8, person=_TOKEN_PERSON).digest()
    )


class _TokenCache(dict[str, int]):
    """word -> its hash, computed on first sight. News vocabulary repeats, and BLAKE2b per
    token would dominate the signature time; ``map(cache.__getitem__, words)`` stays in C
    for every word seen before (the plain dict look-up), which is several times faster than
    ``functools.lru_cache`` or a Python loop. Bounded by clearing; atomic under the GIL."""

    def __missing__(self, word: str) -> int:
        value = self[word] = _token_hash(word)
        return value


_TOKEN_CACHE = _TokenCache()
_TOKEN_CACHE_MAX = 1 << 18


def _token_hashes(words_: list[str]) -> npt.NDArray[np.uint64]:
    if len(_TOKEN_CACHE) > _TOKEN_CACHE_MAX:
        _TOKEN_CACHE.clear()
    return np.fromiter(map(_TOKEN_CACHE.__getitem__, words_), dtype=np.uint64, count=len(words_))


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64 finaliser: spreads the rolling combination over all 64 bits."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _shingle_hashes(words_: list[str], k: int) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the word k-shingles (fewer than k words: one shingle of them all)."""
    if not words_:
        return np.empty(0, dtype=np.uint64)
    hashes = _token_hashes(words_)
    k = min(k, len(words_))
    n = len(words_) - k + 1
    acc = hashes[:n].copy()
    for j in range(1, k):
        acc = acc * _SHINGLE_MULTIPLIER + hashes[j : j + n]
    return _mix(acc)


def shingles(text: str, k: int = SHINGLE_SIZE) -> set[int]:
    """The set of hashed word k-shingles of ``text`` (unsigned 64-bit ints)."""
    return {int(h) for h in _shingle_hashes(tokens(text), k)}


def _signature_of_hashes(hashes: npt.NDArray[np.uint64]) -> Signature:
    if hashes.size == 0:
        return np.full(NUM_PERM, _EMPTY_VALUE, dtype=np.uint32)
    # One row per permutation: the minimum then runs along contiguous memory, which
    # is faster than across rows (the values are the same either way).
    values = np.multiply.outer(_PERM_A, hashes)
    values += _PERM_B_COLUMN
    # The top 32 bits are the well-mixed ones; taking them after the minimum is
    # the same as before it, because the shift is monotonic.
    return (values.min(axis=1) >> _U64(32)).astype(np.uint32)


def signature(text: str) -> Signature:
    """MinHash signature of the ``SHINGLE_SIZE``-shingles of ``text``: ``NUM_PERM`` uint32."""
    return signature_of_words(tokens(text))


def signature_of_words(words_: list[str]) -> Signature:
    """``signature`` from words already split with ``tokens`` (the ingest splits once)."""
    return _signature_of_hashes(_shingle_hashes(words_, SHINGLE_SIZE))


def is_empty(sig: Signature) -> bool:
    """True for the signature of a text without words."""
    return bool(np.all(sig == _EMPTY_VALUE))


def signature_to_bytes(sig: Signature) -> bytes:
    """One format byte, then ``NUM_PERM`` little-endian uint32 values (for a BinaryField)."""
    _check(sig)
    return bytes([FORMAT_VERSION]) + sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    """Inverse of ``signature_to_bytes``; rejects another format or length."""
    if len(data) != 1 + 4 * NUM_PERM or data[0] != FORMAT_VERSION:
        raise ValueError(
            f"not a version-{FORMAT_VERSION} signature of {NUM_PERM} values ({len(data)} bytes)"
        )
    return np.frombuffer(data, dtype="<u4", offset=1).astype(np.uint32)


def band_keys(sig: Signature) -> list[int]:
    """One signed 64-bit key per band (fits a PostgreSQL bigint); none for an empty signature.

    The top 8 bits of a key are its band index, so keys of different bands
    never collide; the lower 56 bits are a BLAKE2b hash of the band's values.
    """
    _check(sig)
    if is_empty(sig):
        return []
    raw = sig.astype("<u4").tobytes()
    width = ROWS * 4
    keys = []
    for band, top in enumerate(_BAND_TOPS):
        # Copying a keyed hasher is about twice as fast as making a new one.
        digest = _BAND_HASHER.copy()
        digest.update(raw[band * width : (band + 1) * width])
        keys.append(top | _u64(digest.digest()))
    return keys


_BAND_HASHER = hashlib.blake2b(digest_size=7, person=_BAND_PERSON)
# Band ``b`` in the top 8 bits of a signed 64-bit key: ``b << 56`` as a signed int.
# The lower 56 bits (a 7-byte digest) never reach the sign bit, so OR-ing them in
# gives the same key as building the unsigned value and folding it afterwards.
_BAND_TOPS = tuple((b << 56) - (1 << 64) if b >= 128 else b << 56 for b in range(BANDS))


def estimated_similarity(sig_a: Signature, sig_b: Signature) -> float:
    """Share of equal signature values: an estimate of the Jaccard similarity.

    0.0 if either text had no words (two empty texts are not the same story).
    """
    _check(sig_a)
    _check(sig_b)
    if is_empty(sig_a) or is_empty(sig_b):
        return 0.0
    return float(np.count_nonzero(sig_a == sig_b)) / NUM_PERM


def jaccard(a: AbstractSet[object], b: AbstractSet[object]) -> float:
    """Exact Jaccard similarity |a & b| / |a | b|; 0.0 when both are empty."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _check(sig: Signature) -> None:
    if sig.shape != (NUM_PERM,):
        raise ValueError(f"expected a signature of {NUM_PERM} values, got shape {sig.shape}")
