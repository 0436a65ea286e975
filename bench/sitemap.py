"""Sitemap benchmark: the index and child pages at a million articles, beside Django's own.

Run from the repository root:

    .venv/bin/python bench/sitemap.py [--sqlite-sizes 1000000] [--pg-sizes 1000000] [--samples 3]

What it does, and why that way:

- **Minimal articles, stored fast**: plain ``executemany`` INSERTs into the store's own
  tables (as ``bench/search.py`` does): a short title, no body, three languages, dates
  over two years (some today, for the news sitemap), 300 publishers, 1 % hidden, one
  article in ten in a section. Every third story exists in all three languages (the same
  ``source_key`` stem), so a third of the URLs carry ``hreflang`` alternates.
- **Measured**, each through the full Django stack (test client, middleware, page cache)
  with an empty cache (a new content version) for every sample: the index, and the first,
  a middle and the last page of the articles sitemap; then the same URLs from the cache
  and as a conditional request (``If-None-Match``: 304). Wall and CPU time of this
  process (on PostgreSQL the server's CPU is not in it), queries, bytes and URLs.
- **Baseline in the same run**: Django's own sitemap view (``django.contrib.sitemaps``)
  with a ``GenericSitemap`` over the same visible articles in id order, at the same page
  size, for the same pages: a ``COUNT(*)`` of the table and an ``OFFSET`` per page.
- Each backend is a fresh process and a fresh database (a new SQLite file, or the
  PostgreSQL database ``pressroom_sitemap_bench``, dropped afterwards).

Results are recorded in ``docs/benchmarks.md`` (section "Sitemaps").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PG_BASE_URL = os.environ.get("PRESSROOM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "pressroom_sitemap_bench"
PAGE_SIZE = 50_000
LANGS = ("en", "ru", "kk")


def child(out: Path, size: int, samples: int) -> None:
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    _store(size)
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "size": size,
        "store_s": time.perf_counter() - started,
    }
    from pressroom.web.sitemaps import ArticleBlocks

    pages = ArticleBlocks(PAGE_SIZE).pages()
    picks = {"first": pages[0], "middle": pages[len(pages) // 2], "last": pages[-1]}
    urls = {"index": "/sitemap.xml"} | {
        f"articles, {k} (page {p})": f"/sitemap-articles-{p}.xml" for k, p in picks.items()
    }
    result["ours"] = {name: _measure(url, samples) for name, url in urls.items()}
    result["stock"] = {
        f"stock, {k} (page {n})": _measure_stock(n, samples)
        for k, n in {"first": 1, "middle": len(pages) // 2 + 1, "last": len(pages)}.items()
    }
    out.write_text(json.dumps(result))


def _store(size: int) -> None:
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from pressroom.store.models import Article, Publisher, Section

    with transaction.atomic():
        publishers = Publisher.objects.bulk_create(
            Publisher(slug=f"pub-{k}", name_en=f"Publisher {k}") for k in range(300)
        )
        sections = Section.objects.bulk_create(
            Section(slug=f"section-{k}", name=f"Section {k}", position=k) for k in range(11)
        )
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    insert = (
        f"INSERT INTO {connection.ops.quote_name(Article._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    links = Article.sections.through._meta.db_table
    link_sql = f"INSERT INTO {links} (article_id, section_id) VALUES (%s, %s)"
    defaults = {f.name: f.get_default() for f in fields}
    now = timezone.now()
    today = timezone.localdate()
    batch = 10_000
    for start in range(1, size + 1, batch):
        rows, link_rows = [], []
        for pk in range(start, min(start + batch, size + 1)):
            lang = LANGS[pk % 3]
            story = (pk - 1) // 3
            # Every third story in three languages (one stem), the others in one.
            key = f"bench:{story}:{lang}" if story % 3 == 0 else f"bench:single{pk}:{lang}"
            values = dict(defaults)
            values.update(
                title=f"Story {pk}",
                body="",
                lang=lang,
                published=today - dt.timedelta(days=(size - pk) * 730 // size),
                publisher=publishers[pk % 300].pk,
                source_key=key,
                fingerprint=f"f{pk}",
                title_key="t",
                hidden=pk % 100 == 0,
                first_seen=now,
                last_seen=now,
                updated_at=now,
            )
            rows.append([f.get_db_prep_save(values[f.name], connection) for f in fields])
            if pk % 10 == 0:
                link_rows.append((pk, sections[pk % 11].pk))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, rows)
            cursor.executemany(link_sql, link_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(fn: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu), value


def _measure(url: str, samples: int) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pressroom.web.cache import bump_content_version

    client = Client()
    cold, cold_cpu = [], []
    for _ in range(samples):
        bump_content_version()  # every cached page is stale: a full render
        reset_queries()  # the client's request_started does it too, which would hide them
        with CaptureQueriesContext(connection) as queries:
            wall, cpu, response = _timed(lambda: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        count = len(queries.captured_queries)  # read now: the next request resets the log
        cold.append(wall)
        cold_cpu.append(cpu)
    body = response.content
    hot = [_timed(lambda: client.get(url))[0] for _ in range(samples)]
    etag = response["ETag"]
    not_modified = []
    for _ in range(samples):
        wall, _cpu, r = _timed(lambda: client.get(url, HTTP_IF_NONE_MATCH=etag))
        assert r.status_code == 304, r.status_code
        not_modified.append(wall)
    return {
        "ms": statistics.median(cold),
        "cpu_ms": statistics.median(cold_cpu),
        "queries": count,
        "bytes": len(body),
        "urls": body.count(b"<url>") or body.count(b"<sitemap>"),
        "cached_ms": statistics.median(hot),
        "not_modified_ms": statistics.median(not_modified),
    }


def _measure_stock(page: int, samples: int) -> dict[str, Any]:
    from django.contrib.sitemaps import GenericSitemap
    from django.contrib.sitemaps.views import sitemap
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from pressroom.store.models import Article

    class Articles(GenericSitemap):  # type: ignore[type-arg]
        limit = PAGE_SIZE

        def location(self, item: Any) -> str:
            return f"/{item.lang}/article/{item.pk}/"

    maps = {
        "articles": Articles(
            {
                "queryset": Article.objects.visible()
                .order_by("id")
                .only("id", "lang", "updated_at"),
                "date_field": "updated_at",
            }
        )
    }
    request = RequestFactory().get("/sitemap-articles.xml", {"p": page})
    walls, cpus = [], []
    for _ in range(samples):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu, response = _timed(
                lambda: sitemap(request, maps, section="articles").render()
            )
        walls.append(wall)
        cpus.append(cpu)
    return {
        "ms": statistics.median(walls),
        "cpu_ms": statistics.median(cpus),
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
        "urls": response.content.count(b"<url>"),
    }


def run(backend: str, size: int, work: Path, samples: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PRESSROOM_HOME"] = str(work / f"{backend}-{size}")
    if backend == "postgresql":
        _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = f"{PG_BASE_URL}/{PG_DB}"
    out = work / f"{backend}-{size}.json"
    try:
        subprocess.run(
            [sys.executable, __file__, "--child", str(out), str(size), str(samples)],
            env=env,
            check=True,
        )
    finally:
        if backend == "postgresql":
            _admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    return dict(json.loads(out.read_text()))


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE_URL}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def report(r: dict[str, Any]) -> str:
    lines = [
        f"### {r['vendor']}, {r['size']:,} articles",
        "",
        f"Stored in {r['store_s']:.0f} s. Load average after the run "
        f"{', '.join(f'{x:.1f}' for x in r['load_average'])}.",
        "",
        "| page | URLs | size | queries | uncached | CPU | cached | 304 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, m in r["ours"].items():
        lines.append(
            f"| {name} | {m['urls']:,} | {m['bytes'] / 1e6:.1f} MB | {m['queries']} | "
            f"{m['ms']:,.0f} ms | {m['cpu_ms']:,.0f} ms | {m['cached_ms']:,.1f} ms | "
            f"{m['not_modified_ms']:,.1f} ms |"
        )
    for name, m in r["stock"].items():
        lines.append(
            f"| {name} | {m['urls']:,} | {m['bytes'] / 1e6:.1f} MB | {m['queries']} | "
            f"{m['ms']:,.0f} ms | {m['cpu_ms']:,.0f} ms | | |"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite-sizes", default="1000000")
    parser.add_argument("--pg-sizes", default="1000000")
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args()
    plan = [("sqlite", int(n)) for n in args.sqlite_sizes.split(",") if n] + [
        ("postgresql", int(n)) for n in args.pg_sizes.split(",") if n
    ]
    results = []
    with tempfile.TemporaryDirectory(prefix="sitemap-bench-", dir=REPO / "var") as tmp:
        for backend, size in plan:
            r = run(backend, size, Path(tmp), args.samples)
            r["load_average"] = os.getloadavg()
            results.append(r)
            print(report(r) + "\n", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results))


if __name__ == "__main__":
    main()
