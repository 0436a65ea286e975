"""Search relevance, measured: MRR@10 and recall@10 on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/search_relevance.py [--per-set 300] [--backends sqlite,postgresql]

What it does:

- **Articles**: every record of ``corpora/lk_pmd_press_releases.jsonl`` (Sri Lankan
  press releases in English, Sinhala and Tamil) and ``corpora/bbc_news.jsonl`` (BBC
  News, English) becomes an article (title, paragraphs cleaned as ingest cleans them,
  language, date), stored in a fresh database and indexed with ``reindex()``.
- **Judged queries**: for a seeded sample of ``--per-set`` articles of each set (PMD en,
  PMD si, PMD ta, BBC en), words of the story, four letters or more, written as they
  appear in its body: *3 rare words* (each in at least 2 and at most 1 % of the set's
  stories: not unique to it, not common) and *2 common words* (each in 1 % to 5 % of
  them: many stories share them, so the ranking has to work). The story is the one
  right answer. The same queries, generated once, go to both backends.
- **Measured**: for each query, the rank of the story among the first 10 hits of
  ``search()`` (relevance order); MRR@10 = mean of 1/rank (0 if not in the top 10),
  recall@10 = share of queries whose story is in the top 10. Agreement between the
  backends: share of queries with the same first hit, and the mean overlap of their
  top-10 lists.

Each backend runs in its own process (``--child``), on a fresh SQLite file or a fresh
PostgreSQL database ``pressroom_search_bench`` (dropped afterwards). Results are
recorded in ``docs/search.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
PG_BASE_URL = os.environ.get("PRESSROOM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "pressroom_search_bench"
SEED = 20260205
# A word as a reader would copy it: a whitespace-separated run of letters and combining
# marks (Sinhala and Tamil vowel signs are marks), punctuation at its ends left off.
WORD = regex.compile(r"(?<!\S)\p{P}*+([\p{L}\p{M}]++(?:['’][\p{L}\p{M}]++)?)\p{P}*+(?!\S)")


@dataclass(frozen=True)
class Story:
    """One corpus record as an article: ``set`` names the judged set it belongs to."""

    set: str
    lang: str
    published: str
    title: str
    paragraphs: tuple[str, ...]


def load_stories(data: Path = DATA) -> list[Story]:
    """PMD (en, si, ta) and BBC (en) records, in file order, with text cleaned as ingest does."""
    sys.path.insert(0, str(REPO / "src"))
    from pressroom.pipeline.normalize import clean_paragraphs, clean_text

    stories: list[Story] = []
    for rec in _jsonl(data / "corpora" / "lk_pmd_press_releases.jsonl"):
        paragraphs = clean_paragraphs(rec["body"].split("\n\n"))
        title = clean_text(rec["title"])
        if title and paragraphs:
            stories.append(Story(f"pmd-{rec['lang']}", rec["lang"], rec["date"], title, paragraphs))
    for i, rec in enumerate(_jsonl(data / "corpora" / "bbc_news.jsonl")):
        paragraphs = clean_paragraphs(rec["body"].split("\n\n"))
        # The BBC records carry no date: spread them over 2004-2005 in file order.
        day = 731_581 + (i * 7) % 730  # date(2004, 1, 1).toordinal() + ...
        published = _iso(day)
        stories.append(Story("bbc-en", "en", published, clean_text(rec["title"]), paragraphs))
    return stories


def _iso(ordinal: int) -> str:
    import datetime

    return datetime.date.fromordinal(ordinal).isoformat()


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# Query kinds: (name, words per query, document frequency band as shares of the set).
KINDS = (
    ("3 rare words", 3, 0.0, 0.01),
    ("2 common words", 2, 0.01, 0.05),
)


def judged_queries(stories: list[Story], per_set: int) -> list[dict[str, Any]]:
    """For each kind, queries made of words of sampled stories; ``answer`` is its position."""
    rnd = random.Random(SEED)
    by_set: dict[str, list[int]] = {}
    for i, s in enumerate(stories):
        by_set.setdefault(s.set, []).append(i)
    queries: list[dict[str, Any]] = []
    for name, members in sorted(by_set.items()):
        df: Counter[str] = Counter()
        forms: dict[int, dict[str, list[str]]] = {}
        for i in members:
            seen: dict[str, list[str]] = {}
            for w in WORD.findall(" ".join(stories[i].paragraphs)):
                seen.setdefault(w.casefold(), []).append(w)
            forms[i] = seen
            df.update(seen.keys())
        for kind, words, low, high in KINDS:
            floor, ceiling = max(2, int(low * len(members))), max(2, int(high * len(members)))
            for i in rnd.sample(members, min(per_set, len(members))):
                candidates = sorted(
                    w for w in forms[i] if len(w) >= 4 and floor <= df[w] <= ceiling
                )
                if len(candidates) < words:
                    continue
                chosen = rnd.sample(candidates, words)
                text = " ".join(rnd.choice(forms[i][w]) for w in chosen)
                queries.append({"set": name, "kind": kind, "query": text, "answer": i})
    return queries


# -- one backend, in its own process ------------------------------------------------------------


def child(out: Path, stories_file: Path, queries_file: Path) -> None:
    """Store the stories, index them, run every query; write ranks and top-10 lists."""
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from pressroom.store.models import Article
    from pressroom.store.search import reindex, search

    call_command("migrate", interactive=False, verbosity=0)
    stories = [Story(**s) for s in json.loads(stories_file.read_text())]
    queries = json.loads(queries_file.read_text())
    started = time.perf_counter()
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            Article(
                title=s.title,
                body="\n\n".join(s.paragraphs),
                lang=s.lang,
                published=s.published,
                fingerprint=f"rel{i}",
                title_key=f"rel{i}",
            )
            for i, s in enumerate(stories)
        )
    ids = [a.pk for a in articles]
    reindex()
    indexed = time.perf_counter() - started
    results = []
    started = time.perf_counter()
    for q in queries:
        hits = [h.id for h in search(q["query"], per_page=10).hits]
        answer = ids[q["answer"]]
        rank = hits.index(answer) + 1 if answer in hits else 0
        results.append({"rank": rank, "top": [ids.index(h) for h in hits]})
    searched = time.perf_counter() - started
    out.write_text(
        json.dumps(
            {
                "vendor": connection.vendor,
                "results": results,
                "index_s": indexed,
                "search_s": searched,
            }
        )
    )


# -- the run ------------------------------------------------------------------------------------


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE_URL}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def run_backend(name: str, work: Path, stories_file: Path, queries_file: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PRESSROOM_HOME"] = str(work / f"{name}-home")
    if name == "postgresql":
        _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = f"{PG_BASE_URL}/{PG_DB}"
    out = work / f"{name}.json"
    try:
        subprocess.run(
            [sys.executable, __file__, "--child", str(out), str(stories_file), str(queries_file)],
            env=env,
            check=True,
        )
    finally:
        if name == "postgresql":
            _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    return dict(json.loads(out.read_text()))


def scores(ranks: list[int]) -> tuple[float, float]:
    """(MRR@10, recall@10) of ranks (0: not in the top 10)."""
    if not ranks:
        return 0.0, 0.0
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    recall = sum(1 for r in ranks if r) / len(ranks)
    return mrr, recall


def report(queries: list[dict[str, Any]], runs: dict[str, dict[str, Any]]) -> str:
    sets = sorted({q["set"] for q in queries})
    names = list(runs)
    lines = [
        "| queries | set | n | " + " | ".join(f"{n} MRR@10 | {n} recall@10" for n in names) + " |",
        "| --- | --- | ---: | " + " | ".join("---: | ---:" for _ in names) + " |",
    ]
    for kind, *_ in KINDS:
        for name in [*sets, "all"]:
            picked = [
                i for i, q in enumerate(queries) if q["kind"] == kind and name in ("all", q["set"])
            ]
            cells = []
            for n in names:
                mrr, recall = scores([runs[n]["results"][i]["rank"] for i in picked])
                cells.append(f"{mrr:.3f} | {recall:.3f}")
            lines.append(f"| {kind} | {name} | {len(picked)} | " + " | ".join(cells) + " |")
    if len(names) == 2:
        a, b = (runs[n]["results"] for n in names)
        same_first = sum(1 for x, y in zip(a, b, strict=True) if x["top"][:1] == y["top"][:1])
        overlap = [
            len(set(x["top"]) & set(y["top"])) / max(1, len(set(x["top"]) | set(y["top"])))
            for x, y in zip(a, b, strict=True)
        ]
        same_rank = sum(1 for x, y in zip(a, b, strict=True) if x["rank"] == y["rank"])
        lines += [
            "",
            f"Agreement: same first hit {same_first / len(a):.1%}, same rank of the answer "
            f"{same_rank / len(a):.1%}, mean top-10 overlap (Jaccard) "
            f"{sum(overlap) / len(overlap):.1%}.",
        ]
    for n in names:
        lines.append(
            f"{n}: stored and indexed {runs[n]['index_s']:.1f} s, {len(queries)} searches "
            f"{runs[n]['search_s']:.1f} s "
            f"({1000 * runs[n]['search_s'] / len(queries):.1f} ms each, with snippets)."
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-set", type=int, default=300, help="judged queries per set")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    stories = load_stories()
    queries = judged_queries(stories, args.per_set)
    with tempfile.TemporaryDirectory(prefix="search-relevance-") as tmp:
        work = Path(tmp)
        stories_file, queries_file = work / "stories.json", work / "queries.json"
        stories_file.write_text(json.dumps([s.__dict__ for s in stories]))
        queries_file.write_text(json.dumps(queries))
        runs = {
            name: run_backend(name, work, stories_file, queries_file)
            for name in args.backends.split(",")
        }
    print(f"{len(stories)} articles, {len(queries)} judged queries (seed {SEED})\n")
    print(report(queries, runs))
    examples = [q["query"] for q in queries[:: max(1, len(queries) // 6)]][:6]
    print("\nExample queries: " + "; ".join(f"`{e}`" for e in examples))


if __name__ == "__main__":
    main()
