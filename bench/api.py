"""API benchmark: time and queries per answer of the JSON API, beside the bare ORM query.

Run from the repository root:

    .venv/bin/python bench/api.py [--articles 50000] [--backends sqlite,postgresql]
                                  [--requests 40]

- **A synthetic store.** ``--articles`` articles written with ``bulk_create`` into a fresh
  store (SQLite in a fresh ``PRESSROOM_HOME`` under ``bench/out/``, or a fresh PostgreSQL
  database ``pressroom_bench_api`` on ``PRESSROOM_BENCH_PG``, default the local server):
  200 publishers, 4 sections (one per article), dates over four years, languages in
  turn, bodies of 40 short paragraphs. The generation is not measured.
- **In process**, through Django's test client (the whole middleware stack, the rate
  limit off): median wall and CPU (``process_time``) milliseconds of ``--requests``
  answers per URL, after one warm-up each, and the number of SQL queries of one answer.
- **The baseline**, in the same run: the bare ORM query a page needs (100 visible
  articles newest first with their publisher, no sections, no JSON), so the table shows
  what the API adds on top of the database.

Results are recorded in ``docs/benchmarks.md`` (section "API") and ``docs/api.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "api"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure(args.articles, args.requests, args.child)
    for backend in args.backends.split(","):
        home = OUT / backend
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        env = {**os.environ, "PRESSROOM_HOME": str(home), "PRESSROOM_API_RATE_LIMIT": "0"}
        env.pop("DATABASE_URL", None)
        if backend == "postgresql":
            server = os.environ.get("PRESSROOM_BENCH_PG", PG_DEFAULT)
            fresh_pg_database(server, "pressroom_bench_api")
            env["DATABASE_URL"] = f"{server}/pressroom_bench_api"
        command = [sys.executable, __file__, "--child", backend]
        command += ["--articles", str(args.articles), "--requests", str(args.requests)]
        subprocess.run(command, env=env, check=True)
    return 0


def fresh_pg_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def fill(n: int) -> None:
    from django.db import connection

    from pressroom.store.models import Article, Publisher, Section

    publishers = Publisher.objects.bulk_create(
        Publisher(slug=f"pub-{i}", kind=Publisher.Kind.EMBASSY) for i in range(200)
    )
    sections = [
        Section.objects.create(slug=name.lower(), name=name, position=i)
        for i, name in enumerate(("News", "World", "Society", "Politics"))
    ]
    start = dt.date(2026, 2, 1)
    body = "\n\n".join(f"Paragraph {k} of the story, a sentence or two long." for k in range(40))
    Article.objects.bulk_create(
        (
            Article(
                title=f"Story {i}",
                body=body,
                lang=("en", "ru", "kk")[i % 3],
                published=start - dt.timedelta(days=(i * 7919) % 1460),
                publisher=publishers[i % len(publishers)],
                fingerprint=f"{i:032x}",
                title_key=f"{i:032x}",
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    link = Article.sections.through
    ids = Article.objects.values_list("id", flat=True).iterator()
    link.objects.bulk_create(
        (link(article_id=a, section_id=sections[a % len(sections)].pk) for a in ids),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def timed(call, requests: int) -> tuple[float, float, int]:
    """Median wall ms, median CPU ms, queries of one call."""
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call()
    walls, cpus = [], []
    for _ in range(requests):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3, queries


def measure(articles: int, requests: int, backend: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from pressroom.store.models import Article

    call_command("migrate", verbosity=0)
    fill(articles)
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()

    def answer(url: str, status: int = 200, **headers: str):
        def call() -> None:
            response = client.get(url, **headers)
            assert response.status_code == status, (url, response.status_code)

        return call

    deep = "/api/v1/articles?limit=100"
    for _ in range(100):
        deep = client.get(deep).json()["next"].removeprefix("http://testserver")
    first_page = "/api/v1/articles?limit=100"
    etag = client.get(first_page)["ETag"]
    first = Article.objects.order_by("id").values_list("id", flat=True).first()

    def baseline() -> None:
        list(Article.objects.visible().newest_first().select_related("publisher")[:100])

    paths = [
        "/articles?limit=20",
        "/articles?limit=100",
        "/articles?limit=100&section=world",
        "/articles?limit=100&publisher=pub-7",
        "/articles?limit=100&include_body=true",
        f"/articles/{first}",
        "/publishers?limit=100",
        "/sections",
    ]
    rows = [("bare ORM: 100 articles with publishers (baseline)", baseline)]
    rows += [(f"`{path}`", answer(f"/api/v1{path}")) for path in paths]
    rows += [
        ("`/articles?limit=100`, page 101", answer(deep)),
        (
            "a 304 for `/articles?limit=100`",
            answer(f"/api/v1{paths[1]}", 304, HTTP_IF_NONE_MATCH=etag),
        ),
    ]
    print(f"\n{backend}, {articles:,} articles, {requests} requests each")
    print("| request | wall ms | CPU ms | queries | CPU × baseline |")
    print("| --- | --- | --- | --- | --- |")
    base_cpu = 0.0
    for label, call in rows:
        wall, cpu, queries = timed(call, requests)
        base_cpu = base_cpu or cpu
        print(f"| {label} | {wall:.1f} | {cpu:.1f} | {queries} | {cpu / base_cpu:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
