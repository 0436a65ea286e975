"""Near-duplicate detection: MinHash signatures and LSH band keys.

A re-edited copy of a press release (a sentence changed, a line added, a title
reworded) no longer has the exact fingerprint of the original, but most of its
word k-shingles are the same. MinHash estimates the Jaccard similarity of two
shingle sets from fixed-size signatures; LSH banding turns a signature into
``BANDS`` keys such that two texts with a high similarity very probably share
at least one key. The keys live in a database table (``BandKey``), so every
process that shares the database shares the index; the candidates it returns
are then verified with ``estimated_similarity >= SAME_STORY_THRESHOLD``.

Everything here is deterministic across processes and machines: words are
hashed with FNV-1a and SplitMix64, keyed by constants taken from BLAKE2b, never
with Python's randomised ``hash()`` or NumPy's random streams (which may change
between NumPy versions).

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
from functools import cache

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
    "signature_of_hashes",
    "signature_of_words",
    "signature_to_bytes",
    "token_hash",
    "tokens",
]

Signature = npt.NDArray[np.uint32]

# --- measured constants: docs/dedup.md, bench/dedup_thresholds.py ----------------
# 5-word shingles: longer shingles push down different stories that share a
# template or background paragraphs (max 0.53 on PMD, 0.46 on BBC at k = 5,
# against 0.66 / 0.52 at k = 3) while copies stay >= 0.93.
SHINGLE_SIZE = 5
# 128 values (bins of one-permutation hashing; see ``signature_of_hashes``).
NUM_PERM = 128
# 32 bands x 4 rows: a pair at J = 0.65 becomes a candidate with p = 0.997, one
# at J = 0.3 with p = 0.23, so the band-key table proposes few unrelated articles.
BANDS = 32
ROWS = 4
# Verification on the estimate: no false merges of different stories or releases at
# 0.65 in 40 hash families (docs/dedup.md).
SAME_STORY_THRESHOLD = 0.65
# The band index fits the top byte of a key and keeps it positive; rows are mixed in pairs.
assert BANDS * ROWS == NUM_PERM and BANDS <= 128 and ROWS % 2 == 0

# Bump whenever tokens, shingle hashing, the signature or the band keys change: stored
# signatures and band keys of another format must not be compared with new ones
# (migration 0007 re-signs the articles of an existing database). Version 1 took the
# minimum of 128 hash permutations; version 2 is one-permutation hashing.
FORMAT_VERSION = 2
_EMPTY_VALUE = np.uint32(0xFFFFFFFF)
_U64 = np.uint64
_MASK64 = (1 << 64) - 1
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_SHINGLE_MULTIPLIER = _U64(0x100000001B3)  # odd: the rolling combination is invertible


def _u64(data: bytes) -> int:
    return int.from_bytes(data, "little")


def _key(name: str) -> int:
    """A fixed 64-bit constant of this format, from BLAKE2b (never Python's ``hash()``)."""
    return _u64(hashlib.blake2b(f"prm-{name}-v{FORMAT_VERSION}".encode(), digest_size=8).digest())


_TOKEN_KEY = _key("tok")


def tokens(text: str) -> list[str]:
    """Normalised words: NFKC, case-folded runs of letters, marks and digits (any script)."""
    return words(text)


def _mix_int(x: int) -> int:
    """SplitMix64's finaliser on one Python int (the same function as ``_mix``)."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def fnv1a_64(data: bytes) -> int:
    """The 64-bit FNV-1a hash of ``data`` (the published function, unkeyed)."""
    h = _FNV_OFFSET
    for byte in data:
        h = ((h ^ byte) * _FNV_PRIME) & _MASK64
    return h


def token_hash(token: str) -> int:
    """64 bits of a word: FNV-1a over its UTF-8 bytes, keyed, then SplitMix64's finaliser.

    Chosen because it is a few lines in any language (a compiled kernel can hash words
    without making Python strings of them) and the same in every process."""
    return _mix_int(fnv1a_64(token.encode("utf-8", "surrogatepass")) ^ _TOKEN_KEY)


class _TokenCache(dict[str, int]):
    """word -> its hash, computed on first sight. News vocabulary repeats, and hashing
    every token would dominate the signature time; ``map(cache.__getitem__, words)`` stays
    in C for every word seen before (the plain dict look-up), which is several times
    faster than ``functools.lru_cache`` or a Python loop. Bounded by clearing; atomic
    under the GIL."""

    def __missing__(self, word: str) -> int:
        value = self[word] = token_hash(word)
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


# Densification: an empty bin takes the value of the first filled bin on its probe
# sequence, the same sequence for every text (so two texts that fill the same bins
# still agree on it); after _PROBES_TRIED probes, the next filled bin to its right.
_PROBES_TRIED = 32


@cache
def _probe_table(bins: int) -> npt.NDArray[np.intp]:
    """``_PROBES_TRIED`` x ``bins``: the bins that empty bin ``i`` looks at, in order."""
    raw = hashlib.shake_256(f"prm-probe-v{FORMAT_VERSION}-{bins}".encode())
    table = np.frombuffer(raw.digest(4 * _PROBES_TRIED * bins), dtype="<u4")
    return (table % bins).astype(np.intp).reshape(_PROBES_TRIED, bins)


def signature_of_hashes(
    hashes: npt.NDArray[np.uint64], bins: int = NUM_PERM, seed: int = 0
) -> Signature:
    """One-permutation MinHash of a set of 64-bit shingle hashes: ``bins`` uint32 values.

    The top bits of a (well-mixed) hash choose its bin, the next 32 bits are its value,
    and each bin keeps its smallest value; empty bins are filled by densification
    (Shrivastava, "Optimal Densification for Fast and Accurate Minwise Hashing", 2017).
    Two texts agree on a bin with a probability equal to the Jaccard similarity of their
    shingle sets, as with ``bins`` independent permutations, for one hash per shingle
    instead of ``bins``. ``seed`` re-mixes the hashes: another hash family, for measuring
    how much the estimate varies (``bench/dedup_thresholds.py``).
    """
    if hashes.size == 0:
        return np.full(bins, _EMPTY_VALUE, dtype=np.uint32)
    bits = bins.bit_length() - 1
    if bins != 1 << bits or not 0 < bits <= 32:
        raise ValueError(f"bins must be a power of two up to 2**32, not {bins}")
    if seed:
        hashes = _mix(hashes ^ _U64(seed))
    ordered = np.sort(hashes)  # by bin, then by value within a bin
    bin_of = ordered >> _U64(64 - bits)
    first = np.empty(bin_of.size, dtype=bool)  # the smallest of each bin
    first[0] = True
    np.not_equal(bin_of[1:], bin_of[:-1], out=first[1:])
    filled_bins = bin_of[first].astype(np.intp)
    sig = np.empty(bins, dtype=np.uint32)
    # The 32 bits below the bin's: ``astype`` keeps the low 32 bits of the shifted hash.
    sig[filled_bins] = (ordered[first] >> _U64(32 - bits)).astype(np.uint32)
    if filled_bins.size < bins:
        _densify(sig, filled_bins, bins)
    return sig


def _densify(sig: Signature, filled_bins: npt.NDArray[np.intp], bins: int) -> None:
    filled = np.zeros(bins, dtype=bool)
    filled[filled_bins] = True
    empty = np.flatnonzero(~filled)
    donors = _probe_table(bins)[:, empty]  # probes x empty bins
    hit = filled[donors]
    first_hit = hit.argmax(axis=0)
    columns = np.arange(empty.size)
    found = hit[first_hit, columns]
    sig[empty[found]] = sig[donors[first_hit[found], columns[found]]]
    rest = empty[~found]
    if rest.size:  # few filled bins: the next filled one to the right, round the end
        ahead = np.searchsorted(filled_bins, rest) % filled_bins.size
        sig[rest] = sig[filled_bins[ahead]]


def signature(text: str) -> Signature:
    """MinHash signature of the ``SHINGLE_SIZE``-shingles of ``text``: ``NUM_PERM`` uint32."""
    return signature_of_words(tokens(text))


def signature_of_words(words_: list[str]) -> Signature:
    """``signature`` from words already split with ``tokens`` (the ingest splits once)."""
    return signature_of_hashes(_shingle_hashes(words_, SHINGLE_SIZE))


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

    The top 8 bits of a key are its band index, so keys of different bands never
    collide; the lower 56 bits mix the band's ``ROWS`` values (two at a time, with
    SplitMix64's finaliser and a key per band).
    """
    _check(sig)
    if is_empty(sig):
        return []
    rows = sig.astype(np.uint64).reshape(BANDS, ROWS)
    acc = _BAND_KEYS
    for r in range(0, ROWS, 2):
        acc = _mix(acc ^ ((rows[:, r] << _U64(32)) | rows[:, r + 1]))
    keys: list[int] = ((acc >> _U64(8)) | _BAND_TOPS).astype(np.int64).tolist()
    return keys


_BAND_KEYS = np.array([_key(f"band{b}") for b in range(BANDS)], dtype=np.uint64)
# Band ``b`` in the top 8 bits: below 128, so every key is a positive signed 64-bit int.
_BAND_TOPS = np.arange(BANDS, dtype=np.uint64) << _U64(56)


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
