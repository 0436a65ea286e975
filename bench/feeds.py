"""Feed benchmark: every kind of feed, uncached, cached and as a 304, beside a plain Django feed.

Run from the repository root:

    .venv/bin/python bench/feeds.py [--articles 20000] [--backends sqlite,postgresql] [--samples 20]

What it does, and why that way:

- **The portal benchmark's store** (``bench/portal.py``'s ``generate``: real press-release
  and news texts, ~2,000 publishers, 11 sections, three languages, three years), then
  ``reindex`` so that search feeds have an index. Each backend is a fresh process and a
  fresh database (SQLite in a new ``PRESSROOM_HOME``; PostgreSQL ``pressroom_bench_feeds``).
- **Measured** through the full Django stack (test client, middleware, page cache), in
  Atom, for the home feed, a section, a publisher with publishers under it, a language
  and a search with a filter: with the page cache made stale before every sample (a full
  build: queries, 50 entries with their whole bodies, XML), then from the cache, then as
  a conditional request (``If-None-Match``: 304). Wall and CPU time of this process (on
  PostgreSQL the server's CPU is not in it), median of ``--samples``; queries; bytes.
- **Baseline in the same run**: the textbook Django feed over the same 50 newest visible
  articles (``Feed`` with ``items()`` a plain queryset slice, the body as the
  description, the publisher's name and the sections per item), no page cache.

Results are recorded in ``docs/benchmarks.md`` (section "Feeds").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PG_DB = "pressroom_bench_feeds"


def log(message: str) -> None:
    print(f"[feeds bench] {message}", file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu), value


def measure(get: Callable[..., Any], url: str, samples: int, cache: bool = True) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pressroom.web.cache import bump_content_version

    cold, cold_cpu = [], []
    for _ in range(samples):
        bump_content_version()
        with CaptureQueriesContext(connection) as queries:
            wall, cpu, response = timed(lambda: get(url))
        assert response.status_code == 200, (url, response.status_code)
        cold.append(wall)
        cold_cpu.append(cpu)
    result: dict[str, Any] = {
        "ms": statistics.median(cold),
        "cpu_ms": statistics.median(cold_cpu),
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
        "entries": response.content.count(b"<entry") or response.content.count(b"<item>"),
    }
    if cache:
        result["cached_ms"] = statistics.median(timed(lambda: get(url))[0] for _ in range(samples))
        etag = response["ETag"]
        result["not_modified_ms"] = statistics.median(
            timed(lambda: get(url, HTTP_IF_NONE_MATCH=etag))[0] for _ in range(samples)
        )
    return result


def textbook_feed() -> Any:
    """The feed Django's documentation would have us write, over the same articles."""
    from django.contrib.syndication.views import Feed
    from django.utils.feedgenerator import Atom1Feed

    from pressroom.store.models import Article

    class Textbook(Feed):  # type: ignore[type-arg]
        feed_type = Atom1Feed
        title = "All news"
        link = "/en/"

        def items(self) -> Any:
            return Article.objects.visible().newest_first()[:50]

        def item_title(self, item: Any) -> str:
            return str(item.title)

        def item_description(self, item: Any) -> str:
            return str(item.body)

        def item_link(self, item: Any) -> str:
            return f"/en/article/{item.pk}/"

        def item_author_name(self, item: Any) -> str | None:
            return item.publisher.name_en or item.publisher.slug if item.publisher else None

        def item_categories(self, item: Any) -> list[str]:
            return [s.name for s in item.sections.all()]

    return Textbook()


def child(n: int, samples: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from bench.portal import generate
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, RequestFactory

    from pressroom.store.models import Publisher
    from pressroom.store.search import reindex

    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    generate(n)
    reindex()
    took = time.perf_counter() - t0
    log(f"{connection.vendor}: {n:,} articles generated and indexed in {took:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # A publisher with publishers under it, as gov.kz has (a ministry and its departments).
    ministry = Publisher.objects.get(slug="ministry-0000")
    Publisher.objects.filter(slug__in=[f"department-{i:04d}" for i in range(40)]).update(
        parent=ministry
    )
    client = Client(HTTP_HOST="127.0.0.1")
    urls = {
        "home": "/en/feeds/atom/",
        "section": "/en/feeds/atom/section/society/",
        "publisher (+40 below)": "/en/feeds/atom/publisher/ministry-0000/",
        "language": "/en/feeds/atom/language/kk/",
        "search, filtered": "/en/feeds/atom/search/?q=minister&section=news",
    }
    results = {name: measure(client.get, url, samples) for name, url in urls.items()}
    feed, factory = textbook_feed(), RequestFactory(HTTP_HOST="127.0.0.1")
    results["textbook Django feed (home)"] = measure(
        lambda url, **_: feed(factory.get(url)), "/en/feeds/textbook/", samples, cache=False
    )
    print(json.dumps({"backend": connection.vendor, "articles": n, "results": results}))


def calibration_us() -> float:
    """The time of ``sum(range(10_000))``, as every benchmark here prints (docs/benchmarks.md)."""
    runs = []
    for _ in range(200):
        t = time.perf_counter()
        sum(range(10_000))
        runs.append(time.perf_counter() - t)
    return 1e6 * statistics.median(runs)


def report(runs: list[dict[str, Any]]) -> str:
    lines = [
        f"calibration: sum(range(10_000)) = {calibration_us():.0f} µs",
        "",
        "| backend | feed | build ms (CPU ms) | queries | entries | KiB | cached ms | 304 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for name, r in run["results"].items():
            cached = f"{r['cached_ms']:.2f}" if "cached_ms" in r else "–"
            not_modified = f"{r['not_modified_ms']:.2f}" if "not_modified_ms" in r else "–"
            lines.append(
                f"| {run['backend']} | {name} | {r['ms']:.1f} ({r['cpu_ms']:.1f}) | "
                f"{r['queries']} | {r['entries']} | {r['bytes'] / 1024:.0f} | {cached} | "
                f"{not_modified} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.articles, args.samples)
        return
    from bench.portal import PG_BASE_URL

    runs = []
    for backend in args.backends.split(","):
        home = REPO / "bench" / "out" / "feeds" / backend
        subprocess.run(["rm", "-rf", str(home)], check=True)
        home.mkdir(parents=True)
        env = {**os.environ, "PRESSROOM_HOME": str(home), "PRESSROOM_LOG_LEVEL": "WARNING"}
        env.pop("PRESSROOM_CACHE_URL", None)
        env.pop("DATABASE_URL", None)
        if backend == "postgresql":
            admin = "import sys, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True)\n"
            admin += "for s in sys.argv[2:]: c.execute(s)"
            statements = [
                f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)",
                f"CREATE DATABASE {PG_DB}",
            ]
            subprocess.run(
                [sys.executable, "-c", admin, f"{PG_BASE_URL}/postgres", *statements], check=True
            )
            env["DATABASE_URL"] = f"{PG_BASE_URL}/{PG_DB}"
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--articles", str(args.articles),
             "--samples", str(args.samples)],
            env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout  # fmt: skip
        runs.append(json.loads(out.strip().splitlines()[-1]))
        if backend == "postgresql":
            subprocess.run(
                [sys.executable, "-c", admin, f"{PG_BASE_URL}/postgres",
                 f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"],
                check=True,
            )  # fmt: skip
    print(report(runs))


if __name__ == "__main__":
    main()
