"""Article-text extraction on the scrapinghub article-extraction-benchmark pages.

Scores ``pressroom.parsing.html.extract_article`` (and plain ``trafilatura.extract``
settings beside it) against the gold article bodies in ``../shared/data/extraction``
the way that benchmark's ``evaluate.py`` defines it: texts are cut into ``\\w+``
tokens, compared as multisets of 4-token shingles; each page's true/false
positives and false negatives are normalised to sum to 1, precision and recall
are means over pages, F1 is their harmonic mean, and ± is 1.96 standard
deviations of 1,000 bootstrap resamples of the pages (seeded).

    .venv/bin/python bench/extraction.py          # prints a table, writes bench/out/extraction.txt
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data")) / "extraction"
TOKEN = re.compile(r"\w+", re.UNICODE)
Counts = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def page_counts(true: str, pred: str) -> Counts:
    t, p = shingles(true), shingles(pred)
    tp = sum(min(t[k], p[k]) for k in t.keys() | p.keys())
    fp = sum(max(0, p[k] - t[k]) for k in t.keys() | p.keys())
    fn = sum(max(0, t[k] - p[k]) for k in t.keys() | p.keys())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def scores(counts: list[Counts]) -> dict[str, float]:
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
    }


def bootstrap(counts: list[Counts], n: int = 1000, seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {}
    for _ in range(n):
        pick = [counts[rng.randrange(len(counts))] for _ in counts]
        for k, v in scores(pick).items():
            samples.setdefault(k, []).append(v)
    return {k: 1.96 * statistics.stdev(v) for k, v in samples.items()}


def pages() -> list[tuple[str, str, str, str]]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for key, gold in sorted(truth.items()):
        with gzip.open(DATA / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        out.append((key, html, gold["url"], gold["articleBody"]))
    return out


def pressroom_extractor(html: str, url: str) -> str:
    from pressroom.parsing.html import extract_article

    article = extract_article(html, url)
    return "\n".join(article.text_paragraphs) if article else ""


def trafilatura_with(**kwargs: object) -> Callable[[str, str], str]:
    import trafilatura

    def run(html: str, url: str) -> str:
        return trafilatura.extract(html, url=url, include_comments=False, **kwargs) or ""  # type: ignore[arg-type]

    return run


CANDIDATES: dict[str, Callable[[str, str], str]] = {
    "pressroom extract_article": pressroom_extractor,
    "trafilatura defaults (benchmark runner)": trafilatura_with(),
    "trafilatura favor_precision": trafilatura_with(favor_precision=True),
    "trafilatura favor_precision + images": trafilatura_with(
        favor_precision=True, include_images=True
    ),
    "trafilatura favor_recall": trafilatura_with(favor_recall=True),
    "trafilatura fast (no fallback)": trafilatura_with(fast=True),
    "trafilatura no tables": trafilatura_with(include_tables=False),
}


def main() -> None:
    data = pages()
    lines = [
        f"{len(data)} pages from {DATA}",
        "",
        "| extractor | F1 | precision | recall | exact | ms/page |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    print("\n".join(lines), flush=True)
    for name, extract in CANDIDATES.items():
        counts, exact, started = [], 0, time.perf_counter()
        for _key, html, url, gold in data:
            predicted = extract(html, url)
            c = page_counts(gold, predicted)
            counts.append(c)
            exact += c[1] == c[2] == 0
        ms = (time.perf_counter() - started) * 1000 / len(data)
        s, ci = scores(counts), bootstrap(counts)
        row = (
            f"| {name} | {s['f1']:.3f} ± {ci['f1']:.3f}"
            f" | {s['precision']:.3f} ± {ci['precision']:.3f}"
            f" | {s['recall']:.3f} ± {ci['recall']:.3f} | {exact / len(data):.3f} | {ms:.0f} |"
        )
        print(row, flush=True)
        lines.append(row)
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "extraction.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
