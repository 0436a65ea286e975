"""Where the ingest's time goes: the profiling children and their tables.

Run by ``bench/ingest.py --profile``: an ingest with its phases, every SQL statement and
every COMMIT timed in CPU time (no profiler), the parsing and candidate steps timed one
by one, and the tables that report them and a cProfile run.
"""

from __future__ import annotations

import os
import pstats
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

_TABLE_RE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
_WHERE_RE = re.compile(r'WHERE\s+\(?(?:"\w+"\.)?"(\w+)"')

# The ingest's phases, timed by wrapping these callables (dotted path, attribute, label).
# Phases nest (the search index is written inside the flush): each reports its own
# time, without the phases inside it. A name that no longer exists is reported, not fatal.
PHASES = (
    ("pressroom.pipeline.ingest", "_prepare", "candidates: clean, words, fingerprints, MinHash"),
    ("pressroom.pipeline.match.Known", "load", "match: look up the batch's keys (set queries)"),
    ("pressroom.pipeline.writer.ArticleWriter", "_decide", "decide each item, build rows"),
    ("pressroom.pipeline.writer.ArticleWriter", "_flush", "write index rows (executemany)"),
    ("pressroom.pipeline.rows", "insert_returning_ids", "write rows: articles (RETURNING ids)"),
    ("pressroom.pipeline.rows", "insert", "write rows: sightings (executemany)"),
    ("django.db.models.query.QuerySet", "bulk_create", "write rows: Django bulk_create"),
    ("django.db.models.query.QuerySet", "bulk_update", "write rows: Django bulk_update"),
    (
        "pressroom.store.search.indexing",
        "index_articles",
        "search index: write (and read sections)",
    ),
    ("pressroom.store.search.indexing", "_row_of", "search index: analysis (Python)"),
    ("pressroom.pipeline.ingest.Ingester", "_count", "run counters, page-cache invalidation"),
)


# The phase and step timers count this process's CPU time (SQLite runs inside it), not
# wall time: on a machine shared with other jobs a wall clock also counts the time spent
# waiting for a core, which says nothing about where the ingest's own time goes.
_cpu_clock = time.process_time


class _PhaseClock:
    """Exclusive CPU time and SQL time per phase; the innermost running phase owns both."""

    def __init__(self) -> None:
        self.own: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.sql: defaultdict[str, float] = defaultdict(float)
        self.statements: Counter[str] = Counter()
        self.stack: list[str] = []
        self.missing: list[str] = []

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(label)
            t0 = _cpu_clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = _cpu_clock() - t0
                self.stack.pop()
                self.own[label] += spent
                self.calls[label] += 1
                if self.stack:
                    self.own[self.stack[-1]] -= spent

        return timed

    def install(self, path: str, attr: str, label: str) -> None:
        import importlib

        module_path, _, class_name = path.rpartition(".")
        try:
            owner: Any = importlib.import_module(path)
        except ImportError:
            owner = getattr(importlib.import_module(module_path), class_name, None)
        raw = vars(owner).get(attr) if owner is not None else None
        if raw is None:
            self.missing.append(f"{path}.{attr}")
            return
        if isinstance(raw, classmethod):
            setattr(owner, attr, classmethod(self.wrap(label, raw.__func__)))
        elif isinstance(raw, staticmethod):
            setattr(owner, attr, staticmethod(self.wrap(label, raw.__func__)))
        else:
            setattr(owner, attr, self.wrap(label, raw))

    @property
    def phase(self) -> str:
        return self.stack[-1] if self.stack else "other"


def child_phases(path: str) -> dict[str, Any]:
    """An ingest with its phases, every SQL statement and every COMMIT timed (no profiler)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.db import connection

    from pressroom.cli import main

    clock = _PhaseClock()
    for module, attr, label in PHASES:
        clock.install(module, attr, label)
    census: dict[str, list[float]] = {}

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = _cpu_clock()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = _cpu_clock() - t0
            verb = sql.lstrip().split(None, 1)[0].upper()
            table = _TABLE_RE.search(sql)
            where = _WHERE_RE.search(sql) if verb in ("SELECT", "UPDATE") else None
            key = f"{verb} {table[1] if table else ''}".strip()
            if where:
                key += f" WHERE {where[1]}"
            rows = len(params) if many and isinstance(params, Sequence) else 1
            entry = census.setdefault(key, [0, 0, 0.0])
            entry[0] += 1
            entry[1] += rows
            entry[2] += spent
            clock.sql[clock.phase] += spent
            clock.statements[clock.phase] += 1

    commits: list[float] = [0, 0.0]
    real_commit = connection._commit  # type: ignore[attr-defined]

    def timed_commit() -> None:
        t0 = _cpu_clock()
        try:
            real_commit()
        finally:
            commits[0] += 1
            commits[1] += _cpu_clock() - t0

    connection._commit = timed_commit  # type: ignore[attr-defined]
    t0 = _cpu_clock()
    with connection.execute_wrapper(wrapper):
        code = main(["ingest", "--no-progress", path])
    return {
        "ingest_code": code,
        "ingest_s": _cpu_clock() - t0,
        "phases": {
            k: [clock.own[k], clock.calls[k], clock.sql[k], clock.statements[k]]
            for k in [label for _m, _a, label in PHASES] + ["other"]
        },
        "missing": clock.missing,
        "census": census,
        "commits": commits,
    }


def child_components(path: str) -> dict[str, Any]:
    """Parsing and candidate building step by step, without a profiler's overhead.

    Mirrors ``pressroom.pipeline.candidate.from_listing_item``; the parent prints the sum
    next to the real thing, so a drift between the two shows.
    """
    from pressroom.parsing import listing
    from pressroom.parsing.govkz import parse_govkz_url
    from pressroom.pipeline import fingerprint, minhash
    from pressroom.pipeline.candidate import from_listing_item, sighting_key
    from pressroom.pipeline.normalize import clean_paragraphs, clean_text
    from pressroom.sources.local import open_input

    spent: defaultdict[str, float] = defaultdict(float)
    clock = _cpu_clock
    detect = listing.detect_language

    def timed_detect(text: str) -> str:
        t0 = clock()
        try:
            return detect(text)
        finally:
            spent["language detection"] += clock() - t0

    listing.detect_language = timed_detect
    text = open_input(path)
    stream = listing.parse_listing(text.lines())
    while True:
        t0 = clock()
        item = next(stream, None)
        spent["reading and parsing (with language detection)"] += clock() - t0
        if item is None:
            break
        if not isinstance(item, listing.ListingItem):
            continue
        t0 = clock()
        title = clean_text(item.title)
        paragraphs = clean_paragraphs(item.paragraphs)
        t1 = clock()
        if item.source_url:
            parse_govkz_url(item.source_url)
        t2 = clock()
        title_words = fingerprint.words(title)
        body_words = fingerprint.words("\n".join(paragraphs))
        t3 = clock()
        sig = minhash.signature_of_words(title_words + body_words)
        t4 = clock()
        minhash.signature_to_bytes(sig)
        minhash.band_keys(sig)
        t5 = clock()
        fingerprint.fingerprint_of_words(title_words, body_words)
        fingerprint.title_key_of_words(title_words)
        t6 = clock()
        sighting_key(item.section, item.raw)
        t7 = clock()
        from_listing_item(item, text.name)
        t8 = clock()
        spent["clean text (NFC, spaces)"] += t1 - t0
        spent["gov.kz URL"] += t2 - t1
        spent["words (NFKC, case fold, split)"] += t3 - t2
        spent["MinHash signature"] += t4 - t3
        spent["band keys"] += t5 - t4
        spent["exact fingerprint + title key (hashing)"] += t6 - t5
        spent["sighting key"] += t7 - t6
        spent["from_listing_item, whole"] += t8 - t7
    text.close()
    return {"components": dict(spent)}


# ---------------------------------------------------------------------------------------
# Profile: where the time goes
# ---------------------------------------------------------------------------------------


def phase_table(n: int, result: dict[str, Any], parse_s: float) -> str:
    """Where the time goes, without a profiler: timed phases, their SQL, COMMIT, the rest."""
    ingest_s = result["ingest_s"]
    commit_n, commit_s = result["commits"]
    lines = [
        f"Where the time goes, without a profiler: {n:,} items on SQLite in {ingest_s:.1f} "
        f"CPU-seconds ({n / ingest_s:,.0f} items/CPU-s, {ingest_s / n * 1000:.2f} ms per "
        "item), each phase timed on its own in CPU time (nested phases not counted twice), "
        "with the SQL run inside it.",
        "",
        "| phase | CPU s | ms per item | share | of which SQL s | statements |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    accounted = 0.0
    for label, (own, _calls, sql, statements) in result["phases"].items():
        if label == "other":
            continue
        accounted += own
        lines.append(
            f"| {label} | {own:.1f} | {own / n * 1000:.2f} | {own / ingest_s:.0%} "
            f"| {sql:.1f} | {int(statements):,} |"
        )
    lines.append(
        f"| COMMIT ({int(commit_n)} transactions) | {commit_s:.1f} | "
        f"{commit_s / n * 1000:.2f} | {commit_s / ingest_s:.0%} | {commit_s:.1f} | – |"
    )
    rest = ingest_s - accounted - commit_s
    other = result["phases"].get("other", [0, 0, 0.0, 0])
    lines.append(
        f"| reading, parsing, start-up and the rest (parse-only baseline: {parse_s:.1f} CPU s) "
        f"| {rest:.1f} | {rest / n * 1000:.2f} | {rest / ingest_s:.0%} | {other[2]:.1f} "
        f"| {int(other[3]):,} |"
    )
    for name in result.get("missing", []):
        lines.append(f"\n(not timed: {name} no longer exists)")
    return "\n".join(lines)


def census_table(census: dict[str, list[float]], n: int) -> str:
    rows = sorted(census.items(), key=lambda kv: kv[1][2], reverse=True)
    lines = [
        "| SQL statement (same run; rows: parameter sets of executemany) "
        "| executions | rows | rows per item | s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key, (count, rows_, seconds) in rows[:14]:
        lines.append(
            f"| `{key}` | {int(count):,} | {int(rows_):,} | {rows_ / n:.2f} | {seconds:.2f} |"
        )
    return "\n".join(lines)


def components_table(components: dict[str, float], n: int) -> str:
    components = dict(components)
    whole = components.pop("from_listing_item, whole")
    lines = [
        "| parsing and candidate building, step by step (no profiler) | CPU s | µs per item |",
        "| --- | ---: | ---: |",
    ]
    for label, seconds in components.items():
        lines.append(f"| {label} | {seconds:.2f} | {seconds / n * 1e6:.0f} |")
    steps = sum(v for k, v in components.items() if not k.startswith(("reading", "language")))
    lines.append(
        f"| candidate steps together (from_listing_item itself: {whole:.2f} s, "
        f"{whole / n * 1e6:.0f} µs) | {steps:.2f} | {steps / n * 1e6:.0f} |"
    )
    return "\n".join(lines)


def top_functions(prof: Path, n: int) -> str:
    """cProfile's hot spots: the functions that spend the most time themselves."""
    st = pstats.Stats(str(prof))
    stats: dict[Any, Any] = st.stats  # type: ignore[attr-defined]
    total: float = st.total_tt  # type: ignore[attr-defined]
    lines = [
        f"cProfile of the same ingest: {total:.1f} s profiled ({total / n * 1000:.1f} ms per "
        "item; the profiler slows Python code far more than time spent in C, so the shares "
        "show where the calls are, the phase table the real split).",
        "",
        "| function (cProfile, by own time) | calls | own s | share |",
        "| --- | ---: | ---: | ---: |",
    ]
    top = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:15]
    for (file, line, func), v in top:
        where = f"{Path(file).name}:{line} {func}" if file != "~" else func
        where = re.sub(r" at 0x[0-9a-f]+", "", where)
        lines.append(f"| `{where}` | {v[1]:,} | {v[2]:.1f} | {v[2] / total:.0%} |")
    return "\n".join(lines)
