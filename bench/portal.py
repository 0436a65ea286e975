"""Portal benchmark: page latency (uncached and cached) and requests/s against the real server.

Run from the repository root:

    .venv/bin/python bench/portal.py [--articles 100000] [--backends sqlite,postgresql]
                                     [--requests 300] [--wrk-seconds 10] [--workers N]

What it does, and why that way:

- **A store of realistic size, made fast.** ``--articles`` articles (100k by default) are
  written with ``bulk_create`` straight into a fresh store (SQLite in a fresh
  ``PRESSROOM_HOME``, or a fresh PostgreSQL database ``pressroom_bench_portal``). Titles
  and bodies are the real press releases and news texts of ``corpora/`` (Sri Lanka PMD
  in English, BBC), reused; ~2,000 publishers of every kind with a skewed share of the
  articles, the 11 configured sections (every second article is under News, every
  article in one more section, so News page 500 exists), languages 70 % en / 20 % ru /
  10 % kk (labels only: the texts are English), dates over three years with one article
  in ten arriving out of date order, one sighting per article, an earlier version for
  2 %. The generation itself is not measured. On PostgreSQL the tables are then
  ``VACUUM ANALYZE``d, as autovacuum would do shortly after such a load.
- **The real server.** ``pressroom serve`` (gunicorn, gthread workers, WhiteNoise) on a
  loopback port, as a reader gets it. No other tuning of either database.
- **Latency** of home, section page 1, section page 500, and article pages, measured by
  one client over a keep-alive connection: ``--requests`` requests each, p50 and p99.
  *Uncached*: the content version is bumped (as an ingest does) before every request,
  so every request renders the page from the database and stores it. *Cached*: the
  same URLs again, served from the page cache. Article pages use a different article
  per request (uncached) or cycle through 50 warmed ones (cached).
- **Throughput** with ``wrk`` (Debian's; installed here if missing, as root): a static
  file served by the same server in the same run is the ceiling; cached pages are
  reported as a share of it; uncached section pages and articles (a unique query string
  or article per request, so every one renders) show the rendering rate.

Results are recorded in ``docs/benchmarks.md`` (section "Portal").
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pressroom.config import DEFAULT_SECTIONS

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
PG_BASE_URL = os.environ.get("PRESSROOM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "pressroom_bench_portal"
SEED = 20260203
SECTIONS = list(DEFAULT_SECTIONS)
LANGS = ["en"] * 7 + ["ru"] * 2 + ["kk"]
KINDS = {  # publishers per kind, about as on gov.kz
    "ministry": 25,
    "agency": 30,
    "akimat": 20,
    "embassy": 120,
    "department": 1500,
    "other": 305,
}
ARTICLE_SAMPLE = 50
WRK_CONNECTIONS = 16


def log(message: str) -> None:
    print(f"[portal bench] {message}", file=sys.stderr, flush=True)


# -- the store -------------------------------------------------------------------------------


def load_texts() -> list[tuple[str, list[str]]]:
    texts: list[tuple[str, list[str]]] = []
    for name in ("lk_pmd_press_releases.jsonl", "bbc_news.jsonl"):
        with open(DATA / "corpora" / name, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if row.get("lang", "en") != "en":
                    continue
                paragraphs = [p.strip() for p in row["body"].split("\n\n") if p.strip()]
                if row["title"].strip() and paragraphs:
                    texts.append((row["title"].strip(), paragraphs))
    return texts


def generate(n: int) -> None:
    """Write ``n`` articles and everything around them with bulk inserts."""
    from django.db import transaction

    from pressroom.store.models import Article, Publisher, Section, Sighting, Version

    rng = random.Random(SEED)
    texts = load_texts()
    sections = Section.objects.bulk_create(
        [Section(slug=name.lower(), name=name, position=i) for i, name in enumerate(SECTIONS)]
    )
    publishers = []
    for kind, count in KINDS.items():
        publishers += [Publisher(slug=f"{kind}-{i:04d}", kind=kind) for i in range(count)]
    publishers = Publisher.objects.bulk_create(publishers, batch_size=1000)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(publishers))]
    rng.shuffle(weights)
    start, days = dt.date(2023, 3, 1), 3 * 365
    through = Article.sections.through
    batch = 2000
    for first in range(0, n, batch):
        size = min(batch, n - first)
        articles = []
        for i in range(first, first + size):
            title, paragraphs = texts[rng.randrange(len(texts))]
            day = int(days * i / n) if rng.random() > 0.1 else rng.randrange(days)
            source_id = 1_000_000 + i
            articles.append(
                Article(
                    title=title,
                    body="\n\n".join(paragraphs),
                    lang=rng.choice(LANGS),
                    published=start + dt.timedelta(days=day),
                    publisher=rng.choices(publishers, weights)[0],
                    source_url=f"https://www.gov.kz/memleket/entities/x/press/news/details/{source_id}",
                    source_id=source_id,
                    fingerprint=f"{i:032x}",
                    title_key=f"{i:032x}",
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(articles)
            links, sightings, versions = [], [], []
            for a in created:
                if rng.random() < 0.5:
                    links.append(through(article_id=a.pk, section_id=sections[0].pk))
                other = rng.choice(sections[1:])
                links.append(through(article_id=a.pk, section_id=other.pk))
                sightings.append(
                    Sighting(
                        key=f"{a.pk:032x}",
                        article=a,
                        input_name="bench",
                        page_url=f"https://www.enbekshiqazaq.kz/en/category/{other.pk}",
                        section_name=other.name,
                        source_url=a.source_url,
                        raw=f"{a.title}\n{a.body[:500]}",
                        fingerprint=a.fingerprint,
                        match="new",
                    )
                )
                if rng.random() < 0.02:
                    versions.append(
                        Version(
                            article=a,
                            title=a.title,
                            body=a.body.replace(".", ";", 3),
                            fingerprint=f"v{a.pk:031x}",
                        )
                    )
            through.objects.bulk_create(links)
            Sighting.objects.bulk_create(sightings)
            Version.objects.bulk_create(versions)
        if (first // batch) % 10 == 0:
            log(f"  {first + size:,} articles")


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int | None) -> subprocess.Popen[bytes]:
    args = [
        sys.executable,
        "-c",
        "from pressroom.cli import main; raise SystemExit(main())",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if workers:
        args += ["--workers", str(workers)]
    server = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError as exc:
            if server.poll() is not None:
                message = server.stderr.read().decode() if server.stderr else "died"
                raise RuntimeError(message) from exc
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("server did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


# -- measuring -------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, float, str]:
        t0 = time.perf_counter()
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - t0
        return response.status, elapsed, response.getheader("X-Page-Cache") or ""


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered) * 1000, "p99": p99 * 1000}


def server_cpu_seconds(server_pid: int) -> float:
    """CPU time used so far by the server: the gunicorn master and its workers."""
    pids = [server_pid]
    for task in Path(f"/proc/{server_pid}/task").glob("*/children"):
        pids += [int(p) for p in task.read_text().split()]
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measure_latency(
    port: int, requests: int, article_ids: list[int], server_pid: int
) -> dict[str, Any]:
    from pressroom.web.cache import bump_content_version

    client = Client(port)
    pages = {
        "home": lambda i: "/en/",
        "section page 1": lambda i: "/en/section/news/",
        "section page 500": lambda i: "/en/section/news/?page=500",
        "article": lambda i: f"/en/article/{article_ids[i % len(article_ids)]}/",
    }
    results: dict[str, Any] = {}
    for name, url in pages.items():
        client.get(url(0))  # connection and first-request warm-up
        uncached, cached = [], []
        cpu_before = server_cpu_seconds(server_pid)
        for i in range(requests):
            bump_content_version()
            status, elapsed, state = client.get(url(i + 1))
            assert status == 200 and state == "miss", (name, status, state)
            uncached.append(elapsed)
        cpu_uncached = (server_cpu_seconds(server_pid) - cpu_before) / requests * 1000
        warm = min(requests, ARTICLE_SAMPLE) if name == "article" else 1
        for i in range(warm):
            client.get(url(i))
        for i in range(requests):
            status, elapsed, state = client.get(url(i % warm))
            assert status == 200 and state == "hit", (name, status, state)
            cached.append(elapsed)
        results[name] = {
            "uncached": {**percentiles(uncached), "cpu": cpu_uncached},
            "cached": percentiles(cached),
        }
        log(f"  {name}: {results[name]}")
    return results


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get install -y wrk)")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    return found


def wrk(port: int, path: str, seconds: int, script: str | None = None) -> float:
    args = [wrk_binary(), "-t2", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
    if script:
        args += ["-s", lua.name]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(lua.name)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"wrk {path}: {non2xx.group(1)} failed responses\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not match:
        raise RuntimeError(out)
    return float(match.group(1))


def measure_throughput(port: int, seconds: int, article_ids: list[int], n: int) -> dict[str, float]:
    client = Client(port)
    for path in ("/en/", "/en/section/news/", f"/en/article/{article_ids[0]}/"):
        client.get(path)  # warm the cache
    rates = {
        "static file (ceiling)": wrk(port, "/static/portal/site.css", seconds),
        "home, cached": wrk(port, "/en/", seconds),
        "section page 1, cached": wrk(port, "/en/section/news/", seconds),
        "article, cached": wrk(port, f"/en/article/{article_ids[0]}/", seconds),
        "section page 1, uncached": wrk(
            port,
            "/en/section/news/",
            seconds,
            'request = function() return wrk.format("GET", "/en/section/news/?n=" .. '
            "math.random(1, 1000000000)) end\n",
        ),
        "article, uncached": wrk(
            port,
            "/en/article/1/",
            seconds,
            f'request = function() return wrk.format("GET", "/en/article/" .. '
            f'math.random(1, {n}) .. "/?n=" .. math.random(1, 1000000000)) end\n',
        ),
    }
    for name, rate in rates.items():
        log(f"  {name}: {rate:,.0f} requests/s")
    return rates


# -- one backend, in its own process (settings are read at import) --------------------------


def child(backend: str, n: int, requests: int, seconds: int, workers: int | None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from pressroom.store.models import Article

    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    log(f"{backend}: generating {n:,} articles")
    generate(n)
    log(f"{backend}: generated in {time.perf_counter() - t0:.0f} s")
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does on its own within a minute or two of a bulk load: without
        # statistics the planner guesses a few hundred rows per section and sorts.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    rng = random.Random(SEED)
    ids = list(Article.objects.values_list("id", flat=True))
    article_ids = rng.sample(ids, min(len(ids), max(requests, ARTICLE_SAMPLE) + 1))
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_server(dict(os.environ), port, workers)
    try:
        log(f"{backend}: latency, {requests} requests per page")
        latency = measure_latency(port, requests, article_ids, server.pid)
        log(f"{backend}: throughput, wrk {seconds} s per URL")
        throughput = measure_throughput(port, seconds, article_ids, n)
    finally:
        stop_server(server)
    print(json.dumps({"backend": backend, "latency": latency, "throughput": throughput}))
    return 0


def prepare_backend(backend: str, work: Path) -> dict[str, str]:
    env = {**os.environ, "PRESSROOM_LOG_LEVEL": "WARNING"}
    env.pop("PRESSROOM_CACHE_URL", None)
    home = work / backend
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env["PRESSROOM_HOME"] = str(home)
    if backend == "sqlite":
        env.pop("DATABASE_URL", None)
    else:
        admin = [
            sys.executable,
            "-c",
            "import sys, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True)\n"
            "for s in sys.argv[2:]: c.execute(s)",
            f"{PG_BASE_URL}/postgres",
            f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)",
            f"CREATE DATABASE {PG_DB}",
        ]
        subprocess.run(admin, check=True)
        env["DATABASE_URL"] = f"{PG_BASE_URL}/{PG_DB}"
    return env


def report(results: list[dict[str, Any]], n: int, workers: int) -> str:
    lines = [
        f"{n:,} articles; `pressroom serve` with {workers} gthread workers; "
        f"{os.cpu_count()} cores shared by server, client and wrk; "
        f"load average at the end {os.getloadavg()[0]:.1f}.",
        "",
    ]
    for r in results:
        lines += [
            f"**{r['backend']}** — latency, one client, ms",
            "",
            "| page | uncached p50 | uncached p99 | server CPU per uncached request"
            " | cached p50 | cached p99 |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for page, m in r["latency"].items():
            u, c = m["uncached"], m["cached"]
            lines.append(
                f"| {page} | {u['p50']:.1f} | {u['p99']:.1f} | {u['cpu']:.1f} "
                f"| {c['p50']:.2f} | {c['p99']:.2f} |"
            )
        ceiling = r["throughput"]["static file (ceiling)"]
        lines += [
            "",
            f"**{r['backend']}** — requests/s, wrk, {WRK_CONNECTIONS} connections",
            "",
            "| URL | requests/s | share of the static file |",
            "| --- | ---: | ---: |",
        ]
        for name, rate in r["throughput"].items():
            lines.append(f"| {name} | {rate:,.0f} | {rate / ceiling:.2f} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.articles, args.requests, args.wrk_seconds, args.workers)
    wrk_binary()
    work = REPO / "bench" / "out" / "portal"
    results = []
    for backend in args.backends.split(","):
        env = prepare_backend(backend, work)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                backend,
                "--articles",
                str(args.articles),
                "--requests",
                str(args.requests),
                "--wrk-seconds",
                str(args.wrk_seconds),
                *(["--workers", str(args.workers)] if args.workers else []),
            ],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    from pressroom.commands.serve import default_workers

    print(report(results, args.articles, args.workers or default_workers()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
