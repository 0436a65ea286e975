"""Measure the de-duplication thresholds that docs/dedup.md reports.

Run from the repository root:

    .venv/bin/python bench/dedup_thresholds.py

Reads the shared test data (``<repo>/../shared/data``, or ``$PRESSROOM_SHARED_DATA``),
prints every table of docs/dedup.md and writes the same text to
``bench/out/dedup_thresholds.txt``. Fixed seeds: two runs print the same numbers,
except the timings. Takes about two minutes on two cores.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from pressroom.pipeline import minhash  # noqa: E402
from pressroom.pipeline.fingerprint import exact_fingerprint  # noqa: E402

DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = REPO / "bench" / "out" / "dedup_thresholds.txt"
SEED = 20240601
K_SWEEP = (1, 2, 3, 4, 5, 6, 8)
T_SWEEP = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
POOL_J3, POOL_J1 = 0.1, 0.4  # BBC pairs looked at by eye (see label_bbc_pair)
COPY_J3 = 0.9

# ---------------------------------------------------------------------------
# BBC labels. Every BBC pair with a word-3-shingle Jaccard of at least 0.1 (or
# a word-set Jaccard of at least 0.4) was read by eye. Classes:
#   copy      - the same article: identical body, or a re-title / re-paragraphing /
#               a few words changed (all 55 pairs with J3 >= 0.9 are of this kind);
#   revised   - the same story updated in place: same lede or same title, most
#               paragraphs carried over, some rewritten, added or removed;
#   follow-up - a later story (another day or event) that reuses background paragraphs;
#   related   - a different story on the same topic, sharing quotes or boilerplate.
# copy and revised are "same story" (should merge); follow-up and related must not.
# Pairs in [0.1, 0.3) not listed below are all follow-up/related stories (read by eye).
MANUAL_LABELS: dict[tuple[str, str], str] = {
    ("politics/226", "politics/265"): "revised",  # same lede, one adds two paragraphs
    ("business/209", "business/229"): "revised",  # Man Utd offer: noon version vs close
    ("business/254", "business/447"): "revised",  # same article, shortened
    ("politics/077", "politics/354"): "revised",  # Budget date: paragraphs rewritten
    ("politics/069", "politics/312"): "revised",  # pension talks: "will take place" -> "ended"
    ("politics/311", "politics/312"): "revised",  # (311 is an exact copy of 069)
    ("business/260", "business/354"): "revised",  # same title, lede and paragraphs updated
    ("sport/424", "sport/511"): "revised",  # same lede, re-titled, quotes added
    ("sport/444", "sport/458"): "revised",  # same lede, two paragraphs added
    ("politics/043", "politics/313"): "revised",  # same article, cut
    ("politics/088", "politics/337"): "revised",  # same article, cut and edited
    ("politics/111", "politics/293"): "revised",  # same story + a page of readers' comments
    ("sport/226", "sport/232"): "revised",  # "will be unveiled" -> "has been unveiled"
    ("politics/175", "politics/349"): "revised",  # same speech, lede rewritten
    ("politics/327", "politics/328"): "follow-up",  # a week later ("Last week ... said")
    ("politics/064", "politics/161"): "follow-up",  # "struck ... last week"
    ("business/138", "business/152"): "follow-up",  # oil price: Tuesday's vs Wednesday's story
    ("politics/374", "politics/409"): "follow-up",  # same conference, a later speech
    ("politics/335", "politics/338"): "related",  # two stories sharing tour paragraphs
    ("politics/122", "politics/382"): "related",  # an article and its "At a glance" box
}
SAME_STORY = {"copy", "revised"}
# PMD ids are distinct releases. One pair is the same Tamil text issued again the
# next day with a new title and one verb changed ("will leave" -> "left"): read by
# eye, it is the same story, so merging it is correct. Every other PMD pair must not merge.
PMD_REISSUES = {("2025-05-02-ta-9ab835", "2025-05-03-ta-ab426a")}

_lines: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)
    _lines.append(text)


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    say("| " + " | ".join(header) + " |")
    say("|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|")
    for row in rows:
        say("| " + " | ".join(_fmt(x) for x in row) + " |")
    say()


def _fmt(x: object) -> str:
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


# --- data --------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    lang: str

    @property
    def text(self) -> str:
        """What the pipeline hashes (pipeline/candidate.py): title, newline, body."""
        return self.title + "\n" + "\n".join(self.paragraphs)


def load_jsonl(name: str, lang_field: str | None) -> list[Doc]:
    docs = []
    with open(DATA / "corpora" / name, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            paragraphs = tuple(p for p in r["body"].split("\n\n") if p.strip())
            docs.append(Doc(r["id"], r["title"], paragraphs, r[lang_field] if lang_field else "en"))
    return docs


def load_semeval() -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with open(DATA / "pairs" / "semeval2022_train.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- exact all-pairs Jaccard -------------------------------------------------


def intersection_counts(sets: Sequence[set[int]], dense_df: int = 48) -> npt.NDArray[np.int32]:
    """|A & B| for every pair i < j: rare shingles via pair lists, common ones via a matmul."""
    n = len(sets)
    postings: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for x in s:
            postings[x].append(i)
    counts = np.zeros((n, n), dtype=np.int64)
    codes, common = [], []
    for docs in postings.values():
        m = len(docs)
        if m < 2:
            continue
        if m > dense_df:
            common.append(docs)
            continue
        a = np.asarray(docs, dtype=np.int64)
        iu, ju = np.triu_indices(m, 1)
        codes.append(a[iu] * n + a[ju])
    if codes:
        counts += np.bincount(np.concatenate(codes), minlength=n * n).reshape(n, n)
    for start in range(0, len(common), 2048):
        chunk = common[start : start + 2048]
        incidence = np.zeros((n, len(chunk)), dtype=np.float32)
        for j, docs in enumerate(chunk):
            incidence[docs, j] = 1.0
        counts += np.triu(np.rint(incidence @ incidence.T).astype(np.int64), 1)
    return counts.astype(np.int32)


def jaccard_matrix(sets: Sequence[set[int]]) -> npt.NDArray[np.float64]:
    inter = intersection_counts(sets)
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    union = sizes[:, None] + sizes[None, :] - inter
    return np.triu(np.where(union > 0, inter / np.maximum(union, 1), 0.0), 1)


def pairs_at_least(j: npt.NDArray[np.float64], t: float) -> set[tuple[int, int]]:
    ii, jj = np.nonzero(j >= t)
    return set(zip(ii.tolist(), jj.tolist(), strict=True))


# --- MinHash helpers ---------------------------------------------------------


def lsh_candidates(sigs: Sequence[minhash.Signature]) -> set[tuple[int, int]]:
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, sig in enumerate(sigs):
        for key in minhash.band_keys(sig):
            buckets[key].append(i)
    out: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                out.add((members[x], members[y]))
    return out


def estimate(sigs: Sequence[minhash.Signature], pair: tuple[int, int]) -> float:
    return minhash.estimated_similarity(sigs[pair[0]], sigs[pair[1]])


def p_candidate(j: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - j**rows) ** bands


def prf(predicted: set[tuple[int, int]], positive: set[tuple[int, int]]) -> tuple[float, float]:
    tp = len(predicted & positive)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(positive) if positive else 1.0
    return precision, recall


# --- sections ----------------------------------------------------------------


def section_bbc(bbc: list[Doc]) -> dict[str, object]:
    say("## BBC (1,438 articles): copies and revised versions")
    say()
    ids = [d.id for d in bbc]
    t0 = time.perf_counter()
    jk = {k: jaccard_matrix([minhash.shingles(d.text, k) for d in bbc]) for k in K_SWEEP}
    say(f"(exact all-pairs Jaccard for k in {K_SWEEP}: {time.perf_counter() - t0:.1f} s)")
    pool = pairs_at_least(jk[3], POOL_J3) | pairs_at_least(jk[1], POOL_J1)
    labels: dict[tuple[int, int], str] = {}
    manual = {tuple(sorted(k)): v for k, v in MANUAL_LABELS.items()}
    for a, b in pool:
        j3 = jk[3][a, b]
        key = (ids[a], ids[b])
        if key in manual:
            labels[(a, b)] = manual[key]
        elif j3 >= COPY_J3:
            labels[(a, b)] = "copy"
        elif j3 < 0.3:
            labels[(a, b)] = "related"
        else:
            raise SystemExit(f"unlabelled BBC pair {key} (J3={j3:.3f}): label it by eye")
    positives = {p for p, c in labels.items() if c in SAME_STORY}
    fps = [exact_fingerprint(d.title, d.paragraphs) for d in bbc]
    body_fps = [exact_fingerprint("", d.paragraphs) for d in bbc]
    fp_pairs = {(a, b) for a, b in pool if fps[a] == fps[b]}
    body_pairs = {(a, b) for a, b in pool if body_fps[a] == body_fps[b]}
    counts = Counter(labels.values())
    say(
        f"Pairs read by eye (J3 >= {POOL_J3} or J1 >= {POOL_J1}): {len(pool)}: "
        + ", ".join(f"{c} {counts[c]}" for c in ("copy", "revised", "follow-up", "related"))
    )
    say(f"Same-story pairs (copy + revised): {len(positives)}")
    say(
        f"Exact fingerprint (title + body) equal: {len(fp_pairs)} pairs; body alone equal: "
        f"{len(body_pairs)} pairs (the rest of the copies were re-titled or lightly edited)"
    )
    p, r = prf(fp_pairs, positives)
    say(f"Exact fingerprint as a same-story test: precision {p:.3f}, recall {r:.3f}")
    say()

    say("### Exact Jaccard of word k-shingles: precision / recall against the labels")
    say()
    say("P/R at each threshold (BBC pairs above the threshold outside the labelled pool count")
    say("as false positives; none occurred).")
    say()
    rows = []
    for k in K_SWEEP:
        cells = []
        for t in T_SWEEP:
            p, r = prf(pairs_at_least(jk[k], t), positives)
            cells.append(f"{p:.2f}/{r:.2f}")
        rows.append((k, *cells))
    table(("k", *(f"T={t}" for t in T_SWEEP)), rows)
    say("Similarity (exact Jaccard) by class, per k: min / median / max")
    say()
    rows = []
    for k in K_SWEEP:
        row: list[object] = [k]
        for c in ("copy", "revised", "follow-up", "related"):
            vals = [jk[k][p] for p, lab in labels.items() if lab == c]
            row.append(f"{min(vals):.2f} / {statistics.median(vals):.2f} / {max(vals):.2f}")
        rows.append(tuple(row))
    table(("k", "copy", "revised", "follow-up", "related"), rows)
    return {"jk": jk, "labels": labels, "positives": positives, "ids": ids}


def section_lk_exact(lk: list[Doc]) -> dict[int, npt.NDArray[np.float64]]:
    say("## Sri Lanka PMD press releases (2,182 distinct releases, si/ta/en)")
    say()
    t0 = time.perf_counter()
    jk = {k: jaccard_matrix([minhash.shingles(d.text, k) for d in lk]) for k in K_SWEEP}
    say(f"(exact all-pairs Jaccard for k in {K_SWEEP}: {time.perf_counter() - t0:.1f} s)")
    fps = Counter(exact_fingerprint(d.title, d.paragraphs) for d in lk)
    say(f"Exact fingerprint collisions between different ids: {sum(n - 1 for n in fps.values())}")
    say()
    say("Pairs of different releases (different ids) at or above the threshold (exact Jaccard):")
    say()
    rows = []
    for k in K_SWEEP:
        rows.append((k, *(len(pairs_at_least(jk[k], t)) for t in T_SWEEP)))
    table(("k", *(f"T={t}" for t in T_SWEEP)), rows)
    return jk


def section_choice(
    bbc_info: dict[str, object], lk: list[Doc], lk_j: dict[int, npt.NDArray[np.float64]]
) -> None:
    k, t = minhash.SHINGLE_SIZE, minhash.SAME_STORY_THRESHOLD
    jk = bbc_info["jk"]
    positives = bbc_info["positives"]
    labels = bbc_info["labels"]
    assert isinstance(jk, dict) and isinstance(positives, set) and isinstance(labels, dict)
    index = {d.id: i for i, d in enumerate(lk)}
    reissues = [(index[a], index[b]) for a, b in PMD_REISSUES]
    say(f"## Choosing k and T (chosen: k = {k}, T = {t})")
    say()
    say("Exact Jaccard of the hardest pairs that must not merge, and of the PMD re-issue:")
    say()
    rows = []
    for kk in K_SWEEP:
        neg = max(jk[kk][p] for p, lab in labels.items() if lab not in SAME_STORY)
        lk_k = lk_j[kk].copy()
        reissue = max(float(lk_k[p]) for p in reissues)
        for pair in reissues:
            lk_k[pair] = 0.0
        precision, recall = prf(pairs_at_least(jk[kk], t), positives)
        row = (kk, neg, float(lk_k.max()), reissue, f"{precision:.2f}/{recall:.2f}")
        rows.append((*row, len(pairs_at_least(lk_k, t))))
    table(
        (
            "k",
            "BBC follow-up/related max",
            "PMD different releases max",
            "PMD re-issue",
            f"BBC P/R at T={t}",
            f"PMD false merges at T={t}",
        ),
        rows,
    )


def section_lsh(
    name: str,
    docs: list[Doc],
    exact_j: npt.NDArray[np.float64],
    positives: set[tuple[int, int]] | None,
    labels: dict[tuple[int, int], str] | None = None,
) -> tuple[list[minhash.Signature], set[tuple[int, int]]]:
    sigs = [minhash.signature(d.text) for d in docs]
    cand = lsh_candidates(sigs)
    t = minhash.SAME_STORY_THRESHOLD
    truth = pairs_at_least(exact_j, t)
    say(f"### {name}: LSH candidates and verification")
    say()
    n = len(docs)
    say(
        f"{len(cand)} candidate pairs from {n * (n - 1) // 2} possible; pairs with exact "
        f"J >= {t}: {len(truth)}, of which LSH proposed {len(truth & cand)}"
    )
    if positives is not None:
        say(f"Same-story pairs proposed as candidates: {len(positives & cand)} of {len(positives)}")
    rows = []
    for tt in T_SWEEP:
        merged = {p for p in cand if estimate(sigs, p) >= tt}
        row: list[object] = [tt, len(merged)]
        if positives is not None:
            p, r = prf(merged, positives)
            row += [p, r]
        rows.append(row)
    header = ["threshold on estimate", "merged pairs"]
    if positives is not None:
        header += ["precision", "recall"]
    say()
    table(header, rows)
    if labels is not None:
        merged = {p for p in cand if estimate(sigs, p) >= t}
        by_class = Counter(labels[p] for p in merged if p in labels)
        totals = Counter(labels.values())
        say(
            f"Merged at T = {t}, by class: "
            + ", ".join(f"{c} {by_class[c]} of {totals[c]}" for c in totals)
        )
        say()
    return sigs, cand


def section_lsh_curve() -> None:
    say("## LSH banding: probability that a pair becomes a candidate")
    say()
    say("P = 1 - (1 - J^r)^b for b bands of r rows (b * r = signature length):")
    say()
    js = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    options = ((64, 2), (32, 4), (16, 8), (64, 4), (32, 8))
    rows = [
        (f"{b} x {r} ({b * r})", *(p_candidate(j, b, r) for j in js), (1 / b) ** (1 / r))
        for b, r in options
    ]
    table(("bands x rows", *(f"J={j}" for j in js), "(1/b)^(1/r)"), rows)


def section_estimation_error(docs: list[Doc], pairs: list[tuple[int, int]], exact: list[float]):
    say("## MinHash estimate vs exact Jaccard (same shingles)")
    say()
    hashes = [np.fromiter(minhash.shingles(d.text), dtype=np.uint64, count=-1) for d in docs]
    rows = []
    for num_perm in (64, 128, 256):
        sigs = {
            i: minhash.signature_of_hashes(hashes[i], bins=num_perm)
            for i in {x for p in pairs for x in p}
        }
        err = np.array(
            [np.mean(sigs[x] == sigs[y]) - e for (x, y), e in zip(pairs, exact, strict=True)]
        )
        theory = np.sqrt(np.mean([e * (1 - e) for e in exact]) / num_perm)
        rows.append((num_perm, float(err.mean()), float(np.sqrt((err**2).mean())), float(theory)))
    say(f"{len(pairs)} pairs with exact J >= 0.3 (BBC and PMD)")
    say()
    table(("signature length", "mean error", "RMS error", "RMS expected sqrt(J(1-J)/n)"), rows)


def section_lk_pipeline(lk: list[Doc], lk_j: npt.NDArray[np.float64]) -> None:
    sigs, cand = section_lsh("PMD", lk, lk_j, None)
    t = minhash.SAME_STORY_THRESHOLD
    merged = sorted(
        ((estimate(sigs, p), p) for p in cand if estimate(sigs, p) >= t - 0.15), reverse=True
    )
    say(f"Closest pairs of different releases (estimate >= {t - 0.15:.2f}):")
    say()
    rows = []
    for est, (a, b) in merged[:12]:
        da, db = lk[a], lk[b]
        rows.append(
            (
                est,
                f"{lk_j[a, b]:.3f}",
                "MERGE" if est >= t else "no",
                da.id,
                db.id,
                da.title[:45],
                db.title[:45],
            )
        )
    table(("estimate", "exact J", "merged?", "id A", "id B", "title A", "title B"), rows)
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(lk):
        by_title[d.title].append(i)
    same_title = [(g[0], g[1]) for g in by_title.values() if len(g) == 2]
    fps = [exact_fingerprint(d.title, d.paragraphs) for d in lk]
    say(
        f"Same title, different release: {len(same_title)} pairs; equal fingerprints: "
        f"{sum(fps[a] == fps[b] for a, b in same_title)}; merged by MinHash: "
        f"{sum(estimate(sigs, (a, b)) >= t for a, b in same_title)}; highest estimate: "
        f"{max(estimate(sigs, (a, b)) for a, b in same_title):.3f}"
    )
    same_title.sort(key=lambda p: -estimate(sigs, p))
    say()
    table(
        ("id A", "id B", "title", "estimate", "exact J"),
        (
            (lk[a].id, lk[b].id, lk[a].title[:50], estimate(sigs, (a, b)), f"{lk_j[a, b]:.3f}")
            for a, b in same_title
        ),
    )


def section_noise(
    bbc: list[Doc],
    bbc_info: dict[str, object],
    lk: list[Doc],
    lk_j: npt.NDArray[np.float64],
) -> None:
    """How often the MinHash estimate lands on the wrong side of the threshold."""
    k = minhash.SHINGLE_SIZE
    labels = bbc_info["labels"]
    assert isinstance(labels, dict)
    lk_ids = [d.id for d in lk]
    pos = [(bbc[a], bbc[b]) for (a, b), c in labels.items() if c in SAME_STORY]
    neg = [(bbc[a], bbc[b]) for (a, b), c in labels.items() if c not in SAME_STORY]
    neg += [
        (lk[a], lk[b])
        for a, b in sorted(pairs_at_least(lk_j, 0.3))
        if (lk_ids[a], lk_ids[b]) not in PMD_REISSUES
    ]
    docs = {id(d): d for pair in pos + neg for d in pair}
    hashes = {
        key: np.fromiter(minhash.shingles(d.text, k), dtype=np.uint64) for key, d in docs.items()
    }
    rng = np.random.default_rng(SEED)
    families = 40
    say("## Verification noise: the estimate against the threshold")
    say()
    say(
        f"{len(pos)} same-story BBC pairs; {len(neg)} pairs that must not merge (BBC follow-up/"
        f"related, and every PMD pair with exact J >= 0.3). Mean over {families} random "
        "hash families (one-permutation hashing, re-mixed with a random seed):"
    )
    say()
    rows = []
    for num_perm in (128, 256):
        est: dict[int, list[float]] = {}
        for _ in range(families):
            seed = int(rng.integers(1, 2**63))
            sig = {
                key: minhash.signature_of_hashes(h, bins=num_perm, seed=seed)
                for key, h in hashes.items()
            }
            for i, (x, y) in enumerate(pos + neg):
                est.setdefault(i, []).append(float(np.mean(sig[id(x)] == sig[id(y)])))
        for t in (0.55, 0.6, 0.65, 0.7):
            hits = np.array([[e >= t for e in est[i]] for i in range(len(pos) + len(neg))])
            recall = hits[: len(pos)].sum(axis=0).mean() / len(pos)
            false_merges = hits[len(pos) :].sum(axis=0)
            rows.append((num_perm, t, recall, float(false_merges.mean()), int(false_merges.max())))
    table(
        ("NUM_PERM", "threshold", "BBC recall", "false merges (mean)", "false merges (worst)"),
        rows,
    )


def section_semeval(rows: list[dict[str, str]]) -> None:
    say("## SemEval-2022 Task 8 pairs: same story in other words")
    say()
    t = minhash.SAME_STORY_THRESHOLD
    groups: dict[str, list[float]] = {"same (overall <= 1.5)": [], "different (overall >= 3)": []}
    mono: dict[str, list[float]] = {"same (overall <= 1.5)": [], "different (overall >= 3)": []}
    for r in rows:
        overall = float(r["overall"])
        group = (
            "same (overall <= 1.5)"
            if overall <= 1.5
            else "different (overall >= 3)"
            if overall >= 3
            else None
        )
        if group is None:
            continue
        est = minhash.estimated_similarity(
            minhash.signature(r["text1"]), minhash.signature(r["text2"])
        )
        groups[group].append(est)
        if r["lang1"] == r["lang2"]:
            mono[group].append(est)
    out = []
    for g in groups:
        for label, vals in ((g, groups[g]), (g + ", same language", mono[g])):
            arr = np.array(vals)
            q = np.quantile(arr, [0.5, 0.9, 0.99])
            out.append((label, len(arr), q[0], q[1], q[2], float(arr.max()), int((arr >= t).sum())))
    table(("group", "pairs", "median", "p90", "p99", "max", f">= {t}"), out)
    same = np.array(groups["same (overall <= 1.5)"])
    diff = np.array(groups["different (overall >= 3)"])
    say("Pairs of the 'different' group at or above 0.5 (by eye: both texts are the same")
    say("site boilerplate, a cookie notice, paywall or bot wall, not an article):")
    say()
    say("```")
    for r in rows:
        if float(r["overall"]) >= 3:
            est = minhash.estimated_similarity(
                minhash.signature(r["text1"]), minhash.signature(r["text2"])
            )
            if est >= 0.5:
                a, b = r["text1"][:60].strip(), r["text2"][:60].strip()
                say(f"{est:.3f} {r['pair_id']}: {a!r} / {b!r}")
    say("```")
    say()
    tp, fp = int((same >= t).sum()), int((diff >= t).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    say(
        f"At T = {t}: precision {precision:.3f} ({tp} true, {fp} false), recall "
        f"{tp / len(same):.3f} of {len(same)} same-story pairs."
    )
    say()


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _sentences(doc: Doc) -> list[str]:
    return [s for p in doc.paragraphs for s in _SENTENCE.split(p) if s]


def _edits(rng: random.Random, donors: list[Doc]) -> dict[str, Callable[[Doc], Doc]]:
    def translated(d: Doc, table_: dict[int, Any]) -> Doc:
        paragraphs = tuple(p.translate(table_) for p in d.paragraphs)
        return Doc(d.id, d.title.translate(table_), paragraphs, d.lang)

    def strip_amp_apostrophes(d: Doc) -> Doc:
        return translated(d, str.maketrans("", "", "&'’ʼ`"))

    def quotes_and_dashes(d: Doc) -> Doc:
        return translated(
            d, str.maketrans({"“": "«", "”": "»", '"': "«", "-": "—", "’": "'", "'": "’"})
        )

    def drop_sentence(d: Doc) -> Doc:
        s = _sentences(d)
        i = rng.randrange(1, len(s)) if len(s) > 1 else 0
        return Doc(d.id, d.title, (" ".join(s[:i] + s[i + 1 :]),), d.lang)

    def alter_sentence(d: Doc) -> Doc:
        s = _sentences(d)
        i = rng.randrange(1, len(s)) if len(s) > 1 else 0
        s[i] = rng.choice(_sentences(rng.choice(donors)))
        return Doc(d.id, d.title, (" ".join(s),), d.lang)

    def add_source(d: Doc) -> Doc:
        url = f"https://www.gov.kz/memleket/entities/press/news/details/{rng.randrange(10**6)}"
        last = f"{d.paragraphs[-1]} Source : {url}?lang=en"
        return Doc(d.id, d.title, (*d.paragraphs[:-1], last), d.lang)

    def new_title(d: Doc) -> Doc:
        return Doc(d.id, rng.choice(donors).title, d.paragraphs, d.lang)

    def truncate_60(d: Doc) -> Doc:
        body = "\n\n".join(d.paragraphs)
        cut = body[: int(len(body) * 0.6)].rsplit(" ", 1)[0]
        return Doc(d.id, d.title, tuple(p for p in cut.split("\n\n") if p), d.lang)

    return {
        "strip & and apostrophes": strip_amp_apostrophes,
        "other quotes, dashes, apostrophes": quotes_and_dashes,
        "add trailing 'Source : URL'": add_source,
        "new title": new_title,
        "drop one sentence": drop_sentence,
        "replace one sentence": alter_sentence,
        "truncate to first 60%": truncate_60,
    }


def section_synthetic(bbc: list[Doc], lk: list[Doc]) -> None:
    say("## Synthetic edits of real texts")
    say()
    rng = random.Random(SEED)
    sample = rng.sample(bbc, 150) + rng.sample([d for d in lk if d.lang == "en"], 150)
    edits = _edits(rng, sample)
    t = minhash.SAME_STORY_THRESHOLD
    rows = []
    for name, edit in edits.items():
        fp_equal = est_ok = cand = 0
        ests = []
        for d in sample:
            e = edit(d)
            a, b = minhash.signature(d.text), minhash.signature(e.text)
            est = minhash.estimated_similarity(a, b)
            ests.append(est)
            fp_equal += exact_fingerprint(d.title, d.paragraphs) == exact_fingerprint(
                e.title, e.paragraphs
            )
            shared = bool(set(minhash.band_keys(a)) & set(minhash.band_keys(b)))
            cand += shared
            est_ok += shared and est >= t
        q = np.quantile(ests, [0.05, 0.5])
        n = len(sample)
        rows.append((name, fp_equal / n, q[0], q[1], cand / n, est_ok / n))
    say(f"{len(sample)} texts (150 BBC, 150 PMD English), fixed seed {SEED}.")
    say()
    table(
        (
            "edit",
            "same fingerprint",
            "estimate p5",
            "estimate median",
            "LSH candidate",
            f"merged (candidate and >= {t})",
        ),
        rows,
    )


def russian_slices() -> list[Doc]:
    """The one Russian article of the extraction set (wday.ru), cut into 2,000-char slices."""
    truth = json.loads((DATA / "extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    body = max(
        (v["articleBody"] for v in truth.values()),
        key=lambda b: len(re.findall("[а-яё]", b, re.IGNORECASE)),
    )
    return [Doc("ru", "", (body[i : i + 2001],), "ru") for i in range(0, len(body) - 2001, 2000)]


def section_timing(bbc: list[Doc], lk: list[Doc]) -> None:
    say("## Speed of signature() on one core")
    say()
    rows = []
    for name, docs in (
        ("BBC (en)", bbc),
        ("PMD en", [d for d in lk if d.lang == "en"]),
        ("PMD si", [d for d in lk if d.lang == "si"]),
        ("PMD ta", [d for d in lk if d.lang == "ta"]),
        ("Russian article, 2,000-char slices", russian_slices()),
    ):
        texts = [d.text[:2000] for d in docs if len(d.text) >= 2000][:200]
        for text in texts:  # warm the token cache, as a long-running process has it
            minhash.signature(text)
        per_text = []
        for text in texts:
            best = float("inf")
            for _ in range(5):
                t0 = time.perf_counter()
                minhash.signature(text)
                best = min(best, time.perf_counter() - t0)
            per_text.append(best * 1e6)
        p90 = float(np.quantile(per_text, 0.9))
        rows.append((name, len(texts), statistics.median(per_text), p90))
    table(("2,000-character texts", "texts", "median µs", "p90 µs"), rows)


def main() -> None:
    started = time.perf_counter()
    say("# bench/dedup_thresholds.py")
    say()
    say(
        f"k = {minhash.SHINGLE_SIZE}, NUM_PERM = {minhash.NUM_PERM}, BANDS x ROWS = "
        f"{minhash.BANDS} x {minhash.ROWS}, SAME_STORY_THRESHOLD = {minhash.SAME_STORY_THRESHOLD}"
    )
    say(f"data: {DATA}; numpy {np.__version__}; python {sys.version.split()[0]}")
    say()
    bbc = load_jsonl("bbc_news.jsonl", None)
    lk = load_jsonl("lk_pmd_press_releases.jsonl", "lang")
    bbc_info = section_bbc(bbc)
    lk_j = section_lk_exact(lk)
    section_choice(bbc_info, lk, lk_j)
    section_lsh_curve()
    say("## MinHash LSH as deployed (signature of title + body)")
    say()
    jk = bbc_info["jk"]
    positives = bbc_info["positives"]
    assert isinstance(jk, dict) and isinstance(positives, set)
    k = minhash.SHINGLE_SIZE
    labels = bbc_info["labels"]
    assert isinstance(labels, dict)
    section_lsh("BBC", bbc, jk[k], positives, labels)
    section_lk_pipeline(lk, lk_j[k])
    section_noise(bbc, bbc_info, lk, lk_j[k])
    pairs, exact = [], []
    for docs, j in ((bbc, jk[k]), (lk, lk_j[k])):
        for a, b in sorted(pairs_at_least(j, 0.3)):
            pairs.append((docs, a, b))
            exact.append(float(j[a, b]))
    all_docs = bbc + lk
    index = {id(d): i for i, d in enumerate(all_docs)}
    flat = [(index[id(docs[a])], index[id(docs[b])]) for docs, a, b in pairs]
    section_estimation_error(all_docs, flat, exact)
    section_semeval(load_semeval())
    section_synthetic(bbc, lk)
    section_timing(bbc, lk)
    say(f"(total {time.perf_counter() - started:.0f} s)")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(_lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
