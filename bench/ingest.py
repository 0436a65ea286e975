"""Ingest benchmark: articles per second and peak memory, end to end, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/ingest.py [--sizes 1000,10000,100000]
                                     [--backends sqlite,postgresql] [--profile]

What it does, and why that way:

- **Inputs from real text.** Stories are built from the English press releases of
  ``corpora/lk_pmd_press_releases.jsonl`` and the BBC articles of ``corpora/bbc_news.jsonl``
  (``<repo>/../shared/data`` or ``$PRESSROOM_SHARED_DATA``). ~2,100 texts cannot give 100k
  different stories as they are, so each story takes one paragraph of a "base" text (a
  different one on every reuse of that text), adds whole paragraphs drawn from the whole
  pool until no paragraph is more than a third of the story, gets a title varied with a
  real place name and a dateline, and a date over two years. No two stories can then share
  more than about a fifth of their word shingles, far below the near-copy threshold, so
  the store must keep every one: the benchmark checks that the number of stored articles
  equals the number of stories generated (a benchmark that merged everything would
  measure nothing).
- **Realistic repetition.** Of N items, 75 % are stories, 20 % exact copies shown later
  under another section (half of them with ``&`` and apostrophes stripped, as the real
  site does) and 5 % edited copies: the same gov.kz ``Source`` URL with one sentence
  replaced, which the store keeps as a ``Version``. The expected outcome counts are
  therefore known exactly (new = stories, merged = copies, updated = edits) and checked.
- **The listing format's variants.** Pages with an archive header, ``News`` / ``More`` or
  ``News More`` headings, title and date on one line or two, ``Source :`` glued to the
  last sentence or on its own line, bodies one paragraph per line or run together.
- **Streaming.** Inputs are written page by page; only copies not yet due are held.
- **Measured like a user runs it.** Every measurement is a fresh process pinned to one
  core (``sched_setaffinity``), started from this file with ``--child``; wall time is
  measured outside, CPU time and peak RSS (``ru_maxrss``) are reported by the child
  itself. SQLite gets a fresh ``PRESSROOM_HOME``, PostgreSQL a fresh database
  ``pressroom_bench`` (dropped first); both are migrated before the clock starts.
  The PostgreSQL server is not pinned and its memory is not counted.
- **Baselines in the same run**, on the same file: plain parsing (``parse_listing`` over
  the same reader), and parsing plus candidate building (``from_listing_item``: cleaning,
  fingerprints, MinHash), so the ratios stay meaningful on any machine.
- ``--profile`` ingests the 10k input on SQLite three more times and says where the time
  goes: with the ingest's phases, every SQL statement and every COMMIT timed (no
  profiler, so the split is real; in CPU time, so that other jobs on the machine do not
  distort it), with the parsing and candidate steps timed one by one, and under cProfile
  for the hot functions.
- ``--max-minutes`` skips an ingest that the rate measured on the smaller input says
  would take longer, so that the default run stays within about a quarter of an hour.

The input is made by ``ingest_input.py``, the profile by ``ingest_profile.py``; this file
runs the measurements and reports them. Results are recorded in ``docs/benchmarks.md``
(section "Ingest").
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest_input import Composition, Corpus, load_corpus, write_input
from ingest_profile import (
    census_table,
    child_components,
    child_phases,
    components_table,
    phase_table,
    top_functions,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1_000, 10_000, 100_000)
PROFILE_SIZE = 10_000
PG_BASE_URL = os.environ.get("PRESSROOM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "pressroom_bench"
TARGET_PER_S = 1_000
# ---------------------------------------------------------------------------------------
# Child processes: what is measured
# ---------------------------------------------------------------------------------------


def _child(argv: list[str]) -> int:
    """Run one measured job in this (fresh) process; its result is the last stderr line."""
    mode, *args = argv
    started = time.perf_counter()
    extra: dict[str, Any] = {}
    code = 0
    if mode in ("parse", "candidates"):
        extra = _child_parse(args[0], with_candidates=mode == "candidates")
    elif mode == "ingest":
        from pressroom.cli import main

        code = main(["ingest", "--no-progress", args[0]])
    elif mode == "migrate":
        from pressroom.cli import main

        code = main(["migrate", "--verbosity", "0"])
    elif mode == "counts":
        extra = _child_counts()
    elif mode == "profile":
        from pressroom.cli import main

        profiler = cProfile.Profile()
        code = profiler.runcall(main, ["ingest", "--no-progress", args[0]])
        profiler.dump_stats(args[1])
    elif mode == "phases":
        extra = child_phases(args[0])
    elif mode == "components":
        extra = child_components(args[0])
    else:
        raise SystemExit(f"unknown child mode {mode}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "code": code,
        "work_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "maxrss_kib": usage.ru_maxrss,
        **extra,
    }
    sys.stdout.flush()
    print("BENCH " + json.dumps(result), file=sys.stderr)
    return code


def _child_parse(path: str, with_candidates: bool) -> dict[str, Any]:
    """The baselines: the same reader and parser as ``ingest``, nothing stored."""
    from pressroom.parsing.listing import ListingItem, parse_listing
    from pressroom.sources.local import open_input

    build: Callable[[ListingItem, str], object] | None = None
    if with_candidates:
        from pressroom.pipeline.candidate import from_listing_item

        build = from_listing_item
    text = open_input(path)
    counts: Counter[str] = Counter()
    for item in parse_listing(text.lines()):
        if isinstance(item, ListingItem):
            counts["items"] += 1
            counts["truncated"] += item.truncated
            counts["sourced"] += item.source_url is not None
            if build is not None:
                build(item, text.name)
        else:
            counts["rejected"] += 1
    text.close()
    return dict(counts)


def _child_counts() -> dict[str, Any]:
    """Rows in the store after an ingest: the check that nothing was merged by mistake."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from pressroom.store import models as m

    run = m.IngestRun.objects.order_by("-id").first()
    return {
        "articles": m.Article.objects.count(),
        "sightings": m.Sighting.objects.count(),
        "versions": m.Version.objects.count(),
        "quarantined": m.QuarantinedItem.objects.count(),
        "fingerprints": m.Fingerprint.objects.count(),
        "band_keys": m.BandKey.objects.count(),
        "publishers": m.Publisher.objects.count(),
        "sections": m.Section.objects.count(),
        "run_status": run.status if run else None,
    }


# ---------------------------------------------------------------------------------------
# The parent: run children, check, report
# ---------------------------------------------------------------------------------------


@dataclass
class Measurement:
    label: str
    wall_s: float
    cpu_s: float
    maxrss_kib: int
    stdout: str
    result: dict[str, Any] = field(default_factory=dict)

    def rate(self, items: int) -> float:
        return items / self.wall_s


def run_child(
    mode: str, args: Sequence[str], env: dict[str, str], pin: bool, label: str = ""
) -> Measurement:
    """Run ``mode`` in a fresh interpreter (pinned to CPU 0 when ``pin``) and measure it."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, *args]
    preexec = (lambda: os.sched_setaffinity(0, {0})) if pin else None
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, preexec_fn=preexec)
    wall = time.perf_counter() - t0
    lines = proc.stderr.strip().splitlines()
    if proc.returncode != 0 or not lines or not lines[-1].startswith("BENCH "):
        raise RuntimeError(f"{mode} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(lines[-1][6:])
    return Measurement(
        label or mode, wall, result["cpu_s"], result["maxrss_kib"], proc.stdout, result
    )


def _outcomes(stdout: str) -> dict[str, int]:
    """The counts ``pressroom ingest`` printed: ``file: 3 new, 1 merged, ...``."""
    return {name: int(n) for n, name in re.findall(r"(\d+) (\w+)", stdout.splitlines()[-1])}


class Backend:
    """A fresh, migrated store per measurement."""

    name = ""

    def fresh(self) -> dict[str, str]:
        raise NotImplementedError

    def cleanup(self) -> None:
        pass


class SQLite(Backend):
    name = "sqlite"

    def __init__(self, base_env: dict[str, str], work: Path, pin: bool) -> None:
        self.base_env, self.work, self.pin = base_env, work, pin
        self.homes: list[Path] = []

    def fresh(self) -> dict[str, str]:
        home = Path(tempfile.mkdtemp(prefix="sqlite-", dir=self.work))
        self.cleanup()
        self.homes.append(home)
        env = {k: v for k, v in self.base_env.items() if k != "DATABASE_URL"}
        env["PRESSROOM_HOME"] = str(home)
        run_child("migrate", [], env, self.pin)
        return env

    def cleanup(self) -> None:
        for home in self.homes:
            shutil.rmtree(home, ignore_errors=True)
        self.homes.clear()


class PostgreSQL(Backend):
    name = "postgresql"

    def __init__(self, base_env: dict[str, str], work: Path, pin: bool) -> None:
        self.base_env, self.work, self.pin = base_env, work, pin

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_BASE_URL}/postgres", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.encode())

    def available(self) -> str | None:
        try:
            self._admin("SELECT 1")
        except Exception as exc:  # any failure means: skip PostgreSQL, say why
            return f"{exc.__class__.__name__}: {exc}".strip()
        return None

    def fresh(self) -> dict[str, str]:
        self._admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", f"CREATE DATABASE {PG_DB}")
        env = dict(self.base_env)
        env["DATABASE_URL"] = f"{PG_BASE_URL}/{PG_DB}"
        env["PRESSROOM_HOME"] = str(self.work / "pg-home")
        run_child("migrate", [], env, self.pin)
        return env

    def cleanup(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


@dataclass
class Budget:
    """Skips an ingest that the rate measured on a smaller input says would take too long,
    so that the default run stays within minutes on a slow pipeline and measures everything
    on a fast one."""

    max_s: float
    rates: dict[str, float] = field(default_factory=dict)  # last items/s per backend
    skipped: list[str] = field(default_factory=list)

    def too_long(self, backend: str, n: int) -> str | None:
        rate = self.rates.get(backend)
        if rate is None or n / rate <= self.max_s:
            return None
        return (
            f"would take ~{n / rate / 60:.0f} min at the {rate:,.0f} items/s measured on the "
            f"smaller input (limit {self.max_s / 60:g} min: raise --max-minutes)"
        )


@dataclass
class Row:
    size: int
    what: str
    m: Measurement
    check: str = ""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_size(
    n: int,
    path: Path,
    corpus: Corpus,
    backends: Sequence[Backend],
    base_env: dict[str, str],
    pin: bool,
    budget: Budget,
) -> tuple[Composition, list[Row]]:
    """One input of ``n`` items: write it, measure the baselines, ingest it on each backend.

    Nothing is measured when every backend's ingest would be skipped as too long."""
    running = []
    for backend in backends:
        too_long = budget.too_long(backend.name, n)
        if too_long:
            budget.skipped.append(f"{n:,} items on {backend.name}: {too_long}")
            log(f"[{n:,}] ingest {backend.name}: skipped, {too_long}")
        else:
            running.append(backend)
    if backends and not running:
        return Composition(), []
    t0 = time.perf_counter()
    comp = write_input(path, n, corpus)
    log(
        f"[{n:,}] input: {comp.bytes / 1e6:.1f} MB, {comp.pages:,} pages, {comp.stories:,} "
        f"stories, {comp.exact_copies:,} exact copies ({comp.stripped_copies:,} stripped), "
        f"{comp.edited_copies:,} edited ({time.perf_counter() - t0:.1f} s to write)"
    )
    rows: list[Row] = []
    parse_env = {**base_env, "PRESSROOM_HOME": str(path.parent / "parse-home")}
    for mode in ("parse", "candidates"):
        m = run_child(mode, [str(path)], parse_env, pin)
        got = (m.result.get("items", 0), m.result.get("rejected", 0), m.result.get("truncated", 0))
        check = "ok" if got == (n, 0, 0) else f"MISMATCH items/rejected/truncated {got}"
        rows.append(Row(n, mode, m, check))
        log(f"[{n:,}] {mode}: {m.wall_s:.2f} s, {m.rate(n):,.0f}/s, {m.maxrss_kib / 1024:.0f} MiB")
    for backend in running:
        env = backend.fresh()
        m = run_child("ingest", [str(path)], env, pin)
        budget.rates[backend.name] = m.rate(n)
        counts = run_child("counts", [], env, pin=False).result
        outcomes = _outcomes(m.stdout)
        problems = [
            f"{k} {outcomes.get(k)} (expected {v})"
            for k, v in comp.expected().items()
            if outcomes.get(k) != v
        ]
        for key, want in (
            ("articles", comp.stories),
            ("versions", comp.edited_copies),
            ("sightings", n),
        ):
            if counts[key] != want:
                problems.append(f"{key} {counts[key]} (expected {want})")
        check = "ok" if not problems else "MISMATCH " + "; ".join(problems)
        m.result["counts"] = counts
        rows.append(Row(n, backend.name, m, check))
        log(
            f"[{n:,}] ingest {backend.name}: {m.wall_s:.1f} s, {m.rate(n):,.0f} items/s, "
            f"{m.maxrss_kib / 1024:.0f} MiB; stored {counts['articles']:,} articles for "
            f"{comp.stories:,} stories, {counts['versions']:,} versions: {check}"
        )
        backend.cleanup()
    return comp, rows


def report(rows: list[Row], comps: dict[int, Composition]) -> str:
    """Markdown tables: one row per measurement, with ratios to the baselines of its size.

    items/CPU-s is the one-core figure that other processes on the machine disturb least
    (for PostgreSQL it leaves out the server's work); the ratios use wall time.
    """
    out = [
        "| items | what | stored articles | wall s | items/s | CPU s | items/CPU-s "
        "| peak RSS MiB | × parse | × parse+candidates | check |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    base: dict[tuple[int, str], float] = {(r.size, r.what): r.m.wall_s for r in rows}
    for r in rows:
        stored = r.m.result.get("counts", {}).get("articles")
        parse = base.get((r.size, "parse"))
        cand = base.get((r.size, "candidates"))
        what = {"parse": "parse only", "candidates": "parse + candidates"}.get(
            r.what, f"ingest, {r.what}"
        )
        cells = [
            f"{r.size:,}",
            what,
            f"{stored:,}" if stored is not None else "–",
            f"{r.m.wall_s:.1f}",
            f"{r.m.rate(r.size):,.0f}",
            f"{r.m.cpu_s:.1f}",
            f"{r.size / r.m.cpu_s:,.0f}",
            f"{r.m.maxrss_kib / 1024:.0f}",
            f"{r.m.wall_s / parse:.1f}" if parse else "–",
            f"{r.m.wall_s / cand:.1f}" if cand else "–",
            r.check,
        ]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "| items | MB | pages | stories | exact copies (stripped) | edited copies |"]
    out.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, c in comps.items():
        out.append(
            f"| {n:,} | {c.bytes / 1e6:.1f} | {c.pages:,} | {c.stories:,} "
            f"| {c.exact_copies:,} ({c.stripped_copies:,}) | {c.edited_copies:,} |"
        )
    return "\n".join(out)


def run_profile(
    n: int, path: Path, corpus: Corpus, base_env: dict[str, str], work: Path, pin: bool
) -> str:
    """The ``n``-item SQLite ingest three ways: timed phases and SQL, timed candidate
    steps, and cProfile for the hot functions."""
    if not path.exists():
        write_input(path, n, corpus)
    sqlite = SQLite(base_env, work, pin)
    parse_env = {**base_env, "PRESSROOM_HOME": str(work / "parse-home")}
    log(f"[profile] parsing and candidate steps on {n:,} items ...")
    parse = run_child("parse", [str(path)], parse_env, pin)
    components = run_child("components", [str(path)], parse_env, pin).result["components"]
    log("[profile] ingest with phases, SQL and COMMIT timed ...")
    phases = run_child("phases", [str(path)], sqlite.fresh(), pin).result
    log("[profile] ingest under cProfile ...")
    prof = work / "ingest.prof"
    m = run_child("profile", [str(path), str(prof)], sqlite.fresh(), pin)
    log(f"[profile] {m.wall_s:.1f} s under cProfile")
    sqlite.cleanup()
    return "\n\n".join(
        [
            phase_table(n, phases, parse.cpu_s),
            census_table(phases["census"], n),
            components_table(components, n),
            top_functions(prof, n),
        ]
    )


# ---------------------------------------------------------------------------------------


def _revision() -> str:
    """The code measured: commit, and whether the source tree had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "revision unknown"
    return f"commit {head or '?'}{' + uncommitted changes in src/' if dirty else ''}"


def _calibration_us() -> float:
    """A machine-speed yardstick printed with the results, to compare runs across machines."""
    import timeit

    return min(timeit.repeat("sum(range(10_000))", number=200, repeat=5)) / 200 * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="items per input, comma-separated",
    )
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--profile", action="store_true", help="say where the time goes")
    parser.add_argument(
        "--profile-size", type=int, default=PROFILE_SIZE, help="items of the profiled ingest"
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin children to CPU 0")
    parser.add_argument("--out", type=Path, help="keep the generated inputs in this folder")
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=10,
        help="skip an ingest estimated (from the previous size) to take longer than this",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    pin = not args.no_pin
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    inputs = args.out or work
    inputs.mkdir(parents=True, exist_ok=True)
    base_env = {**os.environ, "PRESSROOM_LOG_LEVEL": "WARNING"}
    base_env.pop("DATABASE_URL", None)
    backends: list[Backend] = []
    for name in args.backends.split(","):
        if name == "sqlite":
            backends.append(SQLite(base_env, work, pin))
        elif name == "postgresql":
            pg = PostgreSQL(base_env, work, pin)
            why = pg.available()
            if why:
                log(f"PostgreSQL skipped: not reachable at {PG_BASE_URL} ({why})")
            else:
                backends.append(pg)
        elif name:
            parser.error(f"unknown backend {name}")
    load = os.getloadavg()
    header = (
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start; children "
        f"{'pinned to CPU 0' if pin else 'not pinned'}; Python {sys.version.split()[0]}; "
        f"calibration: sum(range(10_000)) takes {_calibration_us():.0f} µs; {_revision()}"
    )
    log(header)
    t0 = time.perf_counter()
    corpus = load_corpus()
    log(
        f"corpus: {len(corpus.titles):,} English texts, {len(corpus.pool):,} paragraphs "
        f"({time.perf_counter() - t0:.1f} s)"
    )
    rows: list[Row] = []
    comps: dict[int, Composition] = {}
    budget = Budget(args.max_minutes * 60)
    try:
        for n in sizes:
            path = inputs / f"ingest-{n}.txt"
            comp, size_rows = bench_size(n, path, corpus, backends, base_env, pin, budget)
            if size_rows:
                comps[n] = comp
            rows += size_rows
            if not args.out and not (args.profile and n == args.profile_size):
                path.unlink(missing_ok=True)
        print(header + "\n")
        print(report(rows, comps))
        for message in budget.skipped:
            print(f"\nSkipped: {message}.")
        if args.profile:
            print()
            profile_path = inputs / f"ingest-{args.profile_size}.txt"
            print(run_profile(args.profile_size, profile_path, corpus, base_env, work, pin))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ntotal bench time {time.perf_counter() - started:.0f} s")
    failed = [r for r in rows if r.check != "ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
