"""Search benchmark: index build time and size, and query latency, at 100k and 1M articles.

Run from the repository root:

    .venv/bin/python bench/search.py [--sqlite-sizes 100000,1000000]
                                     [--pg-sizes 100000,1000000] [--samples 5]
                                     [--keep DIR] [--phases store,index,query] [--jobs 2]

What it does, and why that way:

- **Articles from the real corpora, with variations.** The base texts are the records
  of ``corpora/lk_pmd_press_releases.jsonl`` (English, Sinhala, Tamil) and
  ``corpora/bbc_news.jsonl`` (English), and for Cyrillic the Russian article of
  ``extraction/ground-truth.json`` and the Russian items of the listing pages. Article
  ``i`` takes a base text of its language (70 % English, 15 % Russian, 15 % Sinhala and
  Tamil), swaps one of its paragraphs for a paragraph of another text, puts a Kazakh
  place name (Latin, or Cyrillic in Russian articles) in the title and a dateline, and
  gets a date over two years, a publisher (300, in a two-level tree, six kinds), one or
  two of 11 sections; 1 % are hidden. Each base text is reused, so word frequencies
  grow with the size as they would in a real archive of similar stories.
- **Built fast**: articles with ``bulk_create`` in batches; the index with
  ``pressroom.store.search.reindex()`` (the command's code path: analysis in Python,
  then FTS5 inserts, or a PostgreSQL load with the GIN index built once at the end).
  The build time and the size of the search tables are reported.
- **A query mix**, each kind with several different queries picked from the data:
  rare word (a word of one base text), frequent word (in ~20-40 % of texts), two
  words, a phrase, a prefix, a filtered search (frequent word + language + section +
  one year), Cyrillic (Russian words; a Cyrillic name that also finds Latin texts) and
  Latin names across scripts (``Shymkent``, ``Qazaqstan``).
- **Measured**: wall time of ``search()`` (page 1 of 20, relevance order, with the
  count, the articles and the snippets), p50 and p95 over all samples of a kind,
  beside the **bare engine query** on the same data in the same run: the same match
  expression, ``ORDER BY rank LIMIT 20`` on the FTS5 table alone, or
  ``ts_rank(...) DESC LIMIT 20`` on the tsvector alone (no join, no filter, no count, no
  snippets). Each kind is warmed once; then every query runs ``--samples`` times.
- Each (backend, size) is a fresh process and a fresh database (a new SQLite file, or
  the PostgreSQL database ``pressroom_search_bench``, dropped afterwards) — unless
  ``--keep DIR``: then the databases stay (SQLite files under ``DIR``, PostgreSQL
  databases ``pressroom_search_bench_<size>``) and the next run with the same ``DIR``
  reuses them, so query code can be timed again without a 30-minute build.
  ``--phases`` picks what runs (``store``, ``index``, ``query``; ``reindex`` re-runs
  ``reindex()`` on a kept index) and ``--jobs`` gives ``reindex()`` worker processes.
  Pin the run to a core (``taskset -c 1``) on a shared machine; the load average after
  each run is reported with it.

Results are recorded in ``docs/benchmarks.md`` (section "Search").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

# This checkout's code, not whatever ``pressroom`` the interpreter has installed (a run
# from another worktree with this venv measured the installed code).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pressroom.config import DEFAULT_SECTIONS
from search_relevance import DATA, PG_BASE_URL, PG_DB, REPO, WORD, _admin, load_stories

SEED = 20260206
TARGET_P95_MS = 50.0
PLACES = [
    ("Astana", "Астана"),
    ("Almaty", "Алматы"),
    ("Shymkent", "Шымкент"),
    ("Aktobe", "Актобе"),
    ("Karaganda", "Караганда"),
    ("Taraz", "Тараз"),
    ("Pavlodar", "Павлодар"),
    ("Oskemen", "Усть-Каменогорск"),
    ("Semey", "Семей"),
    ("Kostanay", "Костанай"),
    ("Kyzylorda", "Кызылорда"),
    ("Atyrau", "Атырау"),
    ("Oral", "Уральск"),
    ("Petropavl", "Петропавловск"),
    ("Aktau", "Актау"),
    ("Turkestan", "Туркестан"),
    ("Kokshetau", "Кокшетау"),
    ("Taldykorgan", "Талдыкорган"),
    ("Qazaqstan", "Казахстан"),
]
KINDS = ["ministry", "embassy", "akimat", "agency", "department", "other"]
SECTIONS = list(DEFAULT_SECTIONS)
FIRST_DAY = 739_252  # 2025-01-01 ... two years back from it
DAYS = 730


def base_texts() -> dict[str, list[tuple[str, list[str]]]]:
    """(title, paragraphs) by language: the corpora, and Russian from the Cyrillic sources."""
    by_lang: dict[str, list[tuple[str, list[str]]]] = {}
    for s in load_stories():
        by_lang.setdefault(s.lang, []).append((s.title, list(s.paragraphs)))
    by_lang["ru"] = _russian_texts()
    return by_lang


def _russian_texts() -> list[tuple[str, list[str]]]:
    """Russian paragraphs (the Russian page of the extraction set, the Russian listing
    items) regrouped into texts of four paragraphs, each titled by its first sentence."""
    import regex

    paragraphs: list[str] = []
    truth = json.loads((DATA / "extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    for page in truth.values():
        body = page["articleBody"]
        if len(regex.findall(r"\p{Cyrillic}", body)) > len(body) // 3:
            paragraphs += [p.strip() for p in body.split("\n") if len(p.strip()) > 80]
    for page in sorted((DATA / "listing" / "real").glob("*.txt")):
        for line in page.read_text(encoding="utf-8").splitlines():
            if len(regex.findall(r"\p{Cyrillic}", line)) > 60:
                paragraphs.append(line.strip())
    texts = []
    for i in range(0, len(paragraphs) - 3, 2):
        group = paragraphs[i : i + 4]
        texts.append((" ".join(group[0].split()[:9]), group))
    return texts


def make_articles(
    n: int, texts: dict[str, list[tuple[str, list[str]]]]
) -> Iterator[dict[str, Any]]:
    """``n`` article field dicts, deterministic for a size, made as they are stored."""
    rnd = random.Random(SEED)
    langs = ["en"] * 14 + ["ru"] * 3 + ["si", "ta"] * 1 + ["si"]
    for i in range(n):
        lang = langs[i % len(langs)]
        pool = texts[lang]
        title, paragraphs = pool[(i // len(langs)) % len(pool)]
        paragraphs = list(paragraphs)
        other = rnd.choice(pool)[1]
        if len(paragraphs) > 1:
            paragraphs[rnd.randrange(1, len(paragraphs))] = rnd.choice(other)
        latin, cyrillic = rnd.choice(PLACES)
        place = cyrillic if lang == "ru" else latin
        day = FIRST_DAY - rnd.randrange(DAYS)
        paragraphs[0] = f"{place}, {_date(day)}. {paragraphs[0]}"
        yield {
            "title": f"{place}: {title}",
            "body": "\n\n".join(paragraphs),
            "lang": lang,
            "published": _date(day),
            "hidden": rnd.random() < 0.01,
            "sections": rnd.sample(range(len(SECTIONS)), rnd.choice((1, 1, 2))),
            "publisher": rnd.randrange(300),
        }


def _date(ordinal: int) -> str:
    import datetime

    return datetime.date.fromordinal(ordinal).isoformat()


def query_mix(texts: dict[str, list[tuple[str, list[str]]]]) -> dict[str, list[dict[str, Any]]]:
    """Queries of each kind, picked from the base texts by document frequency."""
    rnd = random.Random(SEED + 1)
    english = texts["en"]
    df: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for _, paragraphs in english:
        words = [w for p in paragraphs for w in WORD.findall(p)]
        df.update({w.casefold() for w in words})
        bigrams.update({f"{a} {b}".casefold() for a, b in pairwise(words)})
    n = len(english)

    def band(low: float, high: float, k: int) -> list[str]:
        words = sorted(w for w, c in df.items() if low * n <= c <= high * n and len(w) > 4)
        return rnd.sample(words, min(k, len(words)))

    rare = sorted(w for w, c in df.items() if c == 1 and len(w) > 5 and w.isalpha())
    frequent = band(0.2, 0.4, 6)
    middle = band(0.02, 0.05, 12)
    phrases = [b for b, c in bigrams.items() if 0.005 * n <= c <= 0.02 * n and len(b) > 12]
    russian = Counter(
        w.casefold() for _, ps in texts["ru"] for p in ps for w in WORD.findall(p) if len(w) > 6
    )
    two = [f"{a} {b}" for a, b in zip(middle[::2], middle[1::2], strict=False)]
    return {
        "rare word": [{"q": w} for w in rnd.sample(rare, 6)],
        "frequent word": [{"q": w} for w in frequent],
        "two words": [{"q": t} for t in two],
        "phrase": [{"q": f'"{p}"'} for p in rnd.sample(sorted(phrases), 6)],
        "prefix": [{"q": f"{w[:5]}*"} for w in frequent[:3] + middle[:3]],
        "filtered": [
            {"q": w, "lang": "en", "section": s, "from": "2024-01-01", "to": "2024-12-31"}
            for w, s in zip(
                frequent, ["News", "Society", "World", "Politics", "Law", "Culture"], strict=False
            )
        ],
        "Cyrillic": [{"q": w} for w, _ in russian.most_common(40)[5::7]]
        + [{"q": "Шымкент"}, {"q": "Казахстана"}],
        "Latin names": [{"q": "Shymkent"}, {"q": "Qazaqstan"}, {"q": "Almaty"}, {"q": "Oral"}],
    }


# -- one backend and size, in its own process ------------------------------------------------


def child(out: Path, size: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from pressroom.store.models import Article

    call_command("migrate", interactive=False, verbosity=0)
    texts = base_texts()
    phases = os.environ.get("BENCH_PHASES", "store,index,query").split(",")
    result: dict[str, Any] = {"vendor": connection.vendor, "size": size}
    stored = Article.objects.count()
    if stored not in (0, size):
        raise SystemExit(f"the kept database holds {stored:,} articles, not {size:,}")
    if "store" in phases and not stored:
        started = time.perf_counter()
        _store(make_articles(size, texts))
        result["store_s"] = time.perf_counter() - started
    if "reindex" in phases or ("index" in phases and (not stored or _indexed() < size)):
        from pressroom.store.search import reindex

        started = time.perf_counter()
        report = reindex(batch=5000, jobs=int(os.environ.get("BENCH_JOBS", "1")))
        result["index_s"] = time.perf_counter() - started
        assert report.written == size or stored, report
    if {"store", "index", "reindex"} & set(phases):
        # dbstat reads every page: minutes for a 16 GB file, so not for a query-only run.
        result["sizes"] = _sizes()
    if "query" in phases:
        result["latency"] = _latencies(query_mix(texts), int(os.environ["BENCH_SAMPLES"]))
    out.write_text(json.dumps(result))


def _indexed() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        return int(cursor.fetchone()[0])


def _store(articles: Iterator[dict[str, Any]]) -> None:
    from django.db import connection, transaction

    from pressroom.store.models import Article, Publisher, Section

    with transaction.atomic():
        parents = Publisher.objects.bulk_create(
            Publisher(slug=f"parent-{k}", kind=KINDS[k % len(KINDS)]) for k in range(30)
        )
        publishers = Publisher.objects.bulk_create(
            Publisher(slug=f"pub-{k}", kind=KINDS[k % len(KINDS)], parent=parents[k % 30])
            for k in range(300)
        )
        sections = Section.objects.bulk_create(
            Section(slug=s.lower(), name=s, position=i) for i, s in enumerate(SECTIONS)
        )
    links = Article.sections.through
    # Plain INSERTs with the model's own columns and defaults: bulk_create builds one huge
    # statement per batch and costs more than the indexing being measured.
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    insert = (
        f"INSERT INTO {connection.ops.quote_name(Article._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    link_sql = (
        f"INSERT INTO {connection.ops.quote_name(links._meta.db_table)} "
        "(article_id, section_id) VALUES (%s, %s)"
    )
    next_id = 1
    while batch := list(islice(articles, 5000)):
        rows, link_rows = [], []
        defaults = {f.name: f.get_default() for f in fields}
        for k, a in enumerate(batch):
            values = dict(defaults)
            values.update({name: a[name] for name in ("title", "body", "lang", "published")})
            values["hidden"] = a["hidden"]
            values["publisher"] = publishers[a["publisher"]].pk
            values["fingerprint"] = f"b{next_id + k}"
            values["title_key"] = "b"
            rows.append([f.get_db_prep_save(values[f.name], connection) for f in fields])
            link_rows += [(next_id + k, sections[j].pk) for j in a["sections"]]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, rows)
            cursor.executemany(link_sql, link_rows)
        next_id += len(batch)


def _sizes() -> dict[str, int]:
    """Bytes of the article table and of the search tables with their indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('pressroom_article'), "
                "pg_total_relation_size('search_document'), "
                "coalesce(pg_relation_size(to_regclass('search_document_tsv')), 0)"
            )
            articles, search, gin = cursor.fetchone()
            return {"articles": articles, "search": search, "engine_index": gin}
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'search%' "
            "OR name LIKE 'pressroom_article%' OR name LIKE 'sqlite_autoindex_search%' "
            "GROUP BY name"
        )
        by_name = dict(cursor.fetchall())
    fts = sum(v for k, v in by_name.items() if k.startswith("search_fts"))
    search = sum(v for k, v in by_name.items() if "search" in k)
    articles = sum(v for k, v in by_name.items() if k.startswith("pressroom_article"))
    return {"articles": articles, "search": search, "engine_index": fts}


def _latencies(mix: dict[str, list[dict[str, Any]]], samples: int) -> dict[str, Any]:
    import datetime

    from django.db import connection

    from pressroom.store.search import Filters, search
    from pressroom.store.search.backends import backend
    from pressroom.store.search.plan import plan
    from pressroom.store.search.query import parse

    engine = backend()

    def bare(text: str) -> None:
        must, _ = engine.compile(plan(parse(text)))
        if must is None:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 20",
                    [must],
                )
            else:
                cursor.execute(
                    "SELECT docid FROM search_document WHERE tsv @@ to_tsquery('simple', %s) "
                    "ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC LIMIT 20",
                    [must, must],
                )
            cursor.fetchall()

    def full(q: dict[str, Any]) -> int:
        filters = Filters(
            lang=q.get("lang"),
            section=q.get("section"),
            date_from=datetime.date.fromisoformat(q["from"]) if "from" in q else None,
            date_to=datetime.date.fromisoformat(q["to"]) if "to" in q else None,
        )
        return search(q["q"], filters, per_page=20).total

    out: dict[str, Any] = {}
    for kind, queries in mix.items():
        for q in queries:  # warm up
            full(q)
            bare(q["q"])
        full_ms, cpu_ms, bare_ms, totals = [], [], [], []
        for _ in range(samples):
            for q in queries:
                t, c = time.perf_counter(), time.process_time()
                totals.append(full(q))
                full_ms.append(1000 * (time.perf_counter() - t))
                cpu_ms.append(1000 * (time.process_time() - c))
                t = time.perf_counter()
                bare(q["q"])
                bare_ms.append(1000 * (time.perf_counter() - t))
        out[kind] = {
            "queries": [q["q"] for q in queries],
            "full_ms": full_ms,
            "cpu_ms": cpu_ms,
            "bare_ms": bare_ms,
            "hits_median": statistics.median(totals),
        }
    return out


# -- the run ------------------------------------------------------------------------------------


def run(
    backend: str,
    size: int,
    work: Path,
    samples: int,
    keep: bool = False,
    phases: str = "",
    jobs: int = 1,
) -> dict[str, Any]:
    """One backend and size in a child process. ``keep``: the database stays (SQLite: the
    file under ``work``; PostgreSQL: ``pressroom_search_bench_<size>``) and a later run
    with the same ``work`` reuses it instead of building it again."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PRESSROOM_HOME"] = str(work / f"{backend}-{size}")
    env["BENCH_SAMPLES"] = str(samples)
    if phases:
        env["BENCH_PHASES"] = phases
    env["BENCH_JOBS"] = str(jobs)
    db = f"{PG_DB}_{size}" if keep else PG_DB
    if backend == "postgresql":
        if keep:
            _admin_create_if_missing(db)
        else:
            _admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", f"CREATE DATABASE {db}")
        env["DATABASE_URL"] = f"{PG_BASE_URL}/{db}"
    out = work / f"{backend}-{size}.json"
    try:
        subprocess.run(
            [sys.executable, __file__, "--child", str(out), str(size)], env=env, check=True
        )
    finally:
        if backend == "postgresql" and not keep:
            _admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    return dict(json.loads(out.read_text()))


def _admin_create_if_missing(db: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE_URL}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            conn.execute(f"CREATE DATABASE {db}")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def sizes_line(sizes: dict[str, int]) -> str:
    mb = 1e6
    return (
        f"Articles table {sizes['articles'] / mb:,.0f} MB; search tables "
        f"{sizes['search'] / mb:,.0f} MB, of which the engine's index "
        f"{sizes['engine_index'] / mb:,.0f} MB."
    )


def report(r: dict[str, Any]) -> str:
    lines = [
        f"### {r['vendor']}, {r['size']:,} articles",
        "",
        (
            f"Stored the articles in {r['store_s']:.0f} s. "
            if "store_s" in r
            else "Articles from a kept database. "
        )
        + (
            f"Built the index in {r['index_s']:.0f} s ({r['size'] / r['index_s']:,.0f} "
            "articles/s). "
            if "index_s" in r
            else "Index from a kept database. "
        )
        + f"Load average after the run {', '.join(f'{x:.1f}' for x in r['load_average'])}. "
        + (sizes_line(r["sizes"]) if "sizes" in r else ""),
        "",
        "| query | hits (median) | search() p50 | p95 | CPU p50 | p95 | bare engine p50 | p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    everything, cpu_all, bare_all = [], [], []
    for kind, m in r["latency"].items():
        everything += m["full_ms"]
        cpu_all += m["cpu_ms"]
        bare_all += m["bare_ms"]
        lines.append(
            f"| {kind} | {m['hits_median']:,.0f} | {pct(m['full_ms'], 50):.1f} ms | "
            f"{pct(m['full_ms'], 95):.1f} ms | {pct(m['cpu_ms'], 50):.1f} ms | "
            f"{pct(m['cpu_ms'], 95):.1f} ms | {pct(m['bare_ms'], 50):.1f} ms | "
            f"{pct(m['bare_ms'], 95):.1f} ms |"
        )
    lines.append(
        f"| **all** | | **{pct(everything, 50):.1f} ms** | **{pct(everything, 95):.1f} ms** | "
        f"{pct(cpu_all, 50):.1f} ms | {pct(cpu_all, 95):.1f} ms | "
        f"{pct(bare_all, 50):.1f} ms | {pct(bare_all, 95):.1f} ms |"
    )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite-sizes", default="100000,1000000")
    parser.add_argument("--pg-sizes", default="100000,1000000")
    parser.add_argument("--samples", type=int, default=5, help="runs of every query")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the databases (SQLite files in DIR, PostgreSQL databases "
        f"{PG_DB}_<size>) and reuse them on the next run instead of building them again",
    )
    parser.add_argument(
        "--phases",
        default="",
        help="comma-separated subset of store,index,query (default: all); 'reindex' "
        "re-runs reindex() on a kept database (after a change of the index format)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes for reindex()'s analysis"
    )
    args = parser.parse_args()
    plan = [("sqlite", int(n)) for n in args.sqlite_sizes.split(",") if n] + [
        ("postgresql", int(n)) for n in args.pg_sizes.split(",") if n
    ]
    results = []
    with (
        contextlib.nullcontext(args.keep)
        if args.keep
        else tempfile.TemporaryDirectory(prefix="search-bench-", dir=REPO / "var")
    ) as tmp:
        Path(tmp).mkdir(parents=True, exist_ok=True)
        for backend, size in plan:
            started = time.perf_counter()
            r = run(backend, size, Path(tmp), args.samples, bool(args.keep), args.phases, args.jobs)
            r["wall_s"] = time.perf_counter() - started
            r["load_average"] = os.getloadavg()
            results.append(r)
            if "latency" in r:
                print(report(r) + "\n", flush=True)
            else:
                print(json.dumps(r), flush=True)
    for r in results:
        if r["vendor"] == "sqlite" and r["size"] >= 1_000_000 and "latency" in r:
            p95 = pct([x for m in r["latency"].values() for x in m["full_ms"]], 95)
            verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
            print(f"Target p95 < {TARGET_P95_MS:.0f} ms at 1M on SQLite: {verdict} ({p95:.1f} ms)")
    if args.json:
        Path(args.json).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
