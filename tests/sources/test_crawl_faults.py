"""Misbehaving sources: nothing lost, nothing stored twice, the others unaffected."""

from __future__ import annotations

import time

import pytest

from pressroom.sources.crawl import claim_sources, crawl
from pressroom.sources.models import FetchState, Source
from pressroom.sources.registry import SourceSpec, add_source
from pressroom.store.models import Article, Sighting
from tests.conftest import SHARED_DATA
from tests.sources.server import RequestHandler

pytestmark = pytest.mark.django_db(transaction=True)

GUARDIAN = (SHARED_DATA / "feeds" / "rss-parser__guardian.rss").read_bytes()
GUARDIAN_ITEMS = 55


def _add(server, path: str, body: bytes | None = None, **options) -> Source:
    if body is not None or options:
        server.add(path, body or b"", **options)
    return add_source(SourceSpec(url=server.url(path), languages="en"))[0]


def _poll_all():
    return crawl(claim_sources(due_only=False))


def test_slow_and_broken_sources_do_not_hold_up_a_good_one(server):
    def drip(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "99999")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.1)

    server.add("/drip.xml", handler=drip)
    slow = _add(server, "/drip.xml")
    broken = _add(server, "/broken.xml", b"", status=500, validators=False)
    good = _add(server, "/good.xml", GUARDIAN)
    started = time.monotonic()
    report = _poll_all()
    assert time.monotonic() - started < 20
    assert report.failed == 2
    assert Article.objects.count() == GUARDIAN_ITEMS
    slow.refresh_from_db()
    broken.refresh_from_db()
    good.refresh_from_db()
    assert "timed out" in slow.last_error and slow.consecutive_failures == 1
    assert "HTTP 500" in broken.last_error and broken.consecutive_failures == 1
    assert broken.next_poll_at > broken.last_polled_at  # backs off, never hammers
    assert good.consecutive_failures == 0 and good.items_stored == GUARDIAN_ITEMS
    assert len(server.hits_for("/broken.xml")) == 3  # first try and two retries


def test_truncated_feed_keeps_what_was_whole_and_the_rest_comes_later(server):
    cut = GUARDIAN[: len(GUARDIAN) // 2]
    source = _add(server, "/g.xml", cut)
    _poll_all()
    source.refresh_from_db()
    first = Article.objects.count()
    assert 0 < first < GUARDIAN_ITEMS
    assert "malformed feed" in source.last_error
    assert FetchState.objects.get(url=source.url).etag == ""  # no validators: read it all next time
    server.routes["/g.xml"].body = GUARDIAN
    _poll_all()
    assert Article.objects.count() == GUARDIAN_ITEMS
    assert Sighting.objects.count() == GUARDIAN_ITEMS  # nothing read twice
    source.refresh_from_db()
    assert source.consecutive_failures == 0


def test_malformed_xml_is_reported_and_nothing_is_duplicated(server):
    broken = GUARDIAN.replace(b"</item>", b"</itm>", 1)
    source = _add(server, "/m.xml", broken)
    _poll_all()
    source.refresh_from_db()
    assert "malformed" in source.last_error
    server.routes["/m.xml"].body = GUARDIAN
    _poll_all()
    assert Article.objects.count() == Sighting.objects.count() == GUARDIAN_ITEMS


def test_an_html_page_is_not_a_feed(server):
    source = _add(
        server, "/page", b"<html><body><p>hello</p></body></html>", content_type="text/html"
    )
    _poll_all()
    source.refresh_from_db()
    assert "not a feed" in source.last_error
    assert Article.objects.count() == 0


def test_a_feed_that_repeats_its_items_forever_is_cut_off(server, monkeypatch):
    monkeypatch.setenv("PRESSROOM_FETCH_MAX_BYTES", "2000000")
    item = (
        b"<item><title>Again</title><link>http://127.0.0.1/again</link>"
        b"<description>The same item, over and over.</description></item>"
    )

    def forever(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>')
        try:
            for _ in range(1_000_000):  # ~130 MB if nobody stopped reading
                h.wfile.write(item * 100)
        except (BrokenPipeError, ConnectionResetError):
            pass

    server.add("/forever.xml", handler=forever)
    source = _add(server, "/forever.xml")
    good = _add(server, "/good.xml", GUARDIAN)
    _poll_all()
    source.refresh_from_db()
    assert "byte limit" in source.last_error
    assert not Article.objects.filter(title="Again").exists()
    good.refresh_from_db()
    assert good.items_stored == GUARDIAN_ITEMS


def test_the_same_item_repeated_in_one_feed_is_one_article(server):
    item = (
        b"<item><title>Once only</title><link>http://127.0.0.1/once</link>"
        b"<description>" + b"Words of a story that is long enough. " * 20 + b"</description>"
        b"</item>"
    )
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>' + item * 5000
    _add(server, "/rep.xml", body + b"</channel></rss>")
    _poll_all()
    _poll_all()
    assert Article.objects.count() == 1 and Sighting.objects.count() == 1


def test_429_with_retry_after_then_success(server):
    calls = []

    def limited(h: RequestHandler) -> None:
        calls.append(1)
        if len(calls) == 1:
            h.reply(429, b"", "text/plain", {"Retry-After": "1"})
        else:
            h.reply(200, GUARDIAN, "application/rss+xml")

    server.add("/limited.xml", handler=limited)
    _add(server, "/limited.xml")
    report = _poll_all()
    assert report.failed == 0 and Article.objects.count() == GUARDIAN_ITEMS


def test_a_long_retry_after_moves_the_next_poll_back(server):
    source = _add(
        server, "/busy.xml", b"", status=503, headers={"Retry-After": "7200"}, validators=False
    )
    _poll_all()
    source.refresh_from_db()
    wait = (source.next_poll_at - source.last_polled_at).total_seconds()
    assert wait >= 7200 * 0.9


def test_a_feed_is_written_in_one_batch_and_a_conflict_falls_back_to_single_items(
    server, monkeypatch
):
    """A lost race on a batch (a key a concurrent writer took) redoes it item by item."""
    from django.db import IntegrityError

    from pressroom.pipeline.writer import ArticleWriter

    batches: list[int] = []
    real = ArticleWriter.write_many

    def write_many(self, candidates):
        batches.append(len(candidates))
        if len(candidates) > 1 and len(batches) == 1:
            raise IntegrityError("a concurrent writer took a key")
        return real(self, candidates)

    monkeypatch.setattr(ArticleWriter, "write_many", write_many)
    n = 12
    items = b"".join(
        b"<item><title>Story %d</title><link>http://127.0.0.1/story/%d</link><content:encoded>"
        b"&lt;p&gt;%s&lt;/p&gt;</content:encoded></item>"
        % (
            i,
            i,
            f"Story {i} has words of its own: {' '.join(str(i * k) for k in range(60))}.".encode(),
        )
        for i in range(n)
    )
    source = _add(
        server,
        "/full.xml",
        b'<?xml version="1.0"?><rss version="2.0" '
        b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>x</title>'
        + items
        + b"</channel></rss>",
    )
    _poll_all()
    assert batches[0] == n  # the whole feed at once...
    assert batches[1:] == [1] * n  # ...then one by one after the conflict
    assert Article.objects.count() == n
    source.refresh_from_db()
    assert source.items_stored == n
    _poll_all()  # nothing new, nothing doubled
    assert Article.objects.count() == n
