"""Crawl benchmark: one loopback host with 2,000 gov.kz publishers x 3 language feeds.

A server process holds every feed in memory (RSS 2.0, full-text items, gzip, ETag
and Last-Modified, 304 on a match). This process then measures, on a fresh
SQLite store:

- baseline: the same 6,000 feed URLs fetched with plain sequential ``httpx.get``
  calls (one client, no validators, no parsing, nothing stored);
- round 1: ``pressroom``'s crawl of every source (fetch, parse, de-duplicate,
  store) under the per-host limit of 2 requests at once;
- round 2: the same crawl again with nothing changed (conditional requests).

Printed: wall time, CPU time of this process (per feed), body bytes received and
the share of 304 answers, with ratios against the baseline measured in the same run.

    .venv/bin/python bench/crawl.py [--publishers 2000] [--items 5]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
LANGS = ("kk", "ru", "en")
WORDS = {
    "en": ["ministry", "region", "development", "program", "water", "project", "school"],
    "ru": ["министерство", "регион", "развитие", "программа", "вода", "проект", "школа"],
    "kk": ["министрлік", "өңір", "даму", "бағдарлама", "су", "жоба", "мектеп"],
}


def render_feed(base: str, slug: str, lang: str, items: int, seed: int) -> bytes:
    import random
    from html import escape

    rng = random.Random(seed)
    entries = []
    for k in range(items):
        news_id = seed * 100 + k
        link = f"{base}/memleket/entities/{slug}/press/news/details/{news_id}?lang={lang}"
        words = " ".join(rng.choice(WORDS[lang]) for _ in range(60))
        body = "".join(f"<p>{escape(words)} {news_id} {p}.</p>" for p in range(4))
        entries.append(
            f"<item><title>{slug} {lang} {news_id} {escape(words[:40])}</title><link>{link}</link>"
            f"<guid>{link}</guid><pubDate>{formatdate(1769900000 + news_id * 60, usegmt=True)}"
            f"</pubDate><description>{escape(words[:100])}</description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{slug}</title><language>{lang}</language>{''.join(entries)}</channel></rss>"
    ).encode()


def serve(port_queue: multiprocessing.Queue, publishers: int, items: int) -> None:
    feeds: dict[str, tuple[bytes, bytes, str]] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for p in range(publishers):
        slug = f"publisher-{p:04d}"
        for lang in LANGS:
            body = render_feed(base, slug, lang, items, p * 3 + LANGS.index(lang))
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            feeds[f"/api/v1/public/rss/{slug}/news/{lang}"] = (body, gzip.compress(body, 5), etag)
    server.feeds = feeds  # type: ignore[attr-defined]
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive
    wbufsize = 1 << 16  # headers and body in one write; flushed after each request
    modified = formatdate(1769900000, usegmt=True)

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        feed = self.server.feeds.get(self.path)  # type: ignore[attr-defined]
        if feed is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body, zipped, etag = feed
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        use_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        payload = zipped if use_gzip else body
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", self.modified)
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publishers", type=int, default=2000)
    parser.add_argument("--items", type=int, default=5, help="items per feed")
    parser.add_argument("--concurrency", type=int, default=2, help="per-host limit")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="pressroom-bench-crawl-")
    os.environ.update(
        PRESSROOM_HOME=home,
        PRESSROOM_FETCH_ALLOW_PRIVATE="1",
        PRESSROOM_FETCH_HOST_LIMITS=f"*={args.concurrency}/0",
        PRESSROOM_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="pressroom.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.publishers, args.items))
    server.start()
    port = ports.get(timeout=300)
    base = f"http://127.0.0.1:{port}"
    try:
        run(base, args)
    finally:
        server.terminate()


def run(base: str, args: argparse.Namespace) -> None:
    import django
    import httpx

    django.setup()
    from django.core.management import call_command

    from pressroom.sources.crawl import claim_sources, crawl
    from pressroom.sources.models import Source
    from pressroom.sources.registry import SourceSpec, add_source
    from pressroom.store.models import Article

    call_command("migrate", verbosity=0)
    urls = [
        f"{base}/api/v1/public/rss/publisher-{p:04d}/news/{lang}"
        for p in range(args.publishers)
        for lang in LANGS
    ]
    feeds = len(urls)

    # baseline: plain sequential GETs
    started, cpu0, received = time.perf_counter(), cpu(), 0
    with httpx.Client() as client:
        for url in urls:
            received += len(client.get(url).content)
    baseline = (time.perf_counter() - started, cpu() - cpu0, received)

    for p in range(args.publishers):
        add_source(SourceSpec(url=f"{base}/memleket/entities/publisher-{p:04d}"))
    rounds = []
    for _ in range(2):
        sources = claim_sources(due_only=False)
        started, cpu0 = time.perf_counter(), cpu()
        report = crawl(sources)
        rounds.append((time.perf_counter() - started, cpu() - cpu0, report))
        Source.objects.update(next_poll_at=Source.objects.first().next_poll_at)  # keep due-ness
    stored = Article.objects.count()

    b_wall, b_cpu, b_bytes = baseline
    lines = [
        f"{args.publishers:,} publishers x 3 languages = {feeds:,} feeds, {args.items} items each; "
        f"per-host limit {args.concurrency} at once, no rate limit; SQLite; 2 cores",
        "",
        "| run | wall s | feeds/s | CPU s | CPU ms/feed | body bytes | 304s | vs baseline wall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| baseline: sequential httpx.get, nothing parsed or stored | {b_wall:.1f} | "
        f"{feeds / b_wall:.0f} | {b_cpu:.1f} | {b_cpu * 1000 / feeds:.2f} | {b_bytes:,} | 0 "
        "| 1.00 |",
    ]
    for name, (wall, used, report) in zip(
        ("round 1: crawl, fetch + parse + store", "round 2: crawl, nothing changed"),
        rounds,
        strict=True,
    ):
        share = report.not_modified / max(report.fetches, 1)
        lines.append(
            f"| {name} | {wall:.1f} | {feeds / wall:.0f} | {used:.1f} | "
            f"{used * 1000 / feeds:.2f} | {report.body_bytes:,} | {share:.1%} | "
            f"{wall / b_wall:.2f} |"
        )
    first = rounds[0][2]
    lines += [
        "",
        f"round 1 stored {stored:,} articles ({first.outcomes['new']:,} new, "
        f"{first.failed} sources failed); round 2: {rounds[1][2].summary()}",
    ]
    text = "\n".join(lines)
    print(text)
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "crawl.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
