"""HTML, feeds, sitemaps and schedules: the pieces, on real and small inputs."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest

from pressroom.parsing.feeds import NotAFeed, parse_feed
from pressroom.parsing.html import extract_article, html_to_paragraphs, sanitize
from pressroom.parsing.links import article_links
from pressroom.parsing.sitemap import NotASitemap, parse_sitemap
from pressroom.sources import schedule
from pressroom.sources.fetch.charset import decode
from tests.conftest import SHARED_DATA

EXTRACTION = SHARED_DATA / "extraction"


def _gold_pages(n: int):
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth)[:n]:
        with gzip.open(EXTRACTION / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            yield f.read(), truth[key]["url"], truth[key]["articleBody"]


def test_extraction_finds_the_gold_text_of_real_pages():
    """The benchmark in bench/extraction.py measures all 88; here, the first 10 sentences."""
    found = 0
    for html, url, gold in _gold_pages(10):
        article = extract_article(html, url)
        first_line = next(line for line in gold.splitlines() if len(line) > 40)
        if article and first_line[:40] in " ".join(article.text_paragraphs):
            found += 1
        assert article is None or all(img.url.startswith("http") for img in article.images)
    assert found >= 8


def test_feed_html_is_sanitised_into_paragraphs_with_absolute_images():
    html = (
        "<p>First <b>bold</b> para.</p><script>alert(1)</script><style>p{}</style>"
        '<div onclick="x()">Second<br>line</div><img src="/a.jpg" alt="A picture" onerror="x()">'
        '<iframe src="https://evil.example/"></iframe><p><a href="javascript:x()">link</a></p>'
    )
    clean = sanitize(html)
    assert "script" not in clean and "onclick" not in clean and "iframe" not in clean
    paragraphs, images = html_to_paragraphs(html, "https://site.example/news/1")
    assert paragraphs == [
        "First bold para.",
        "Second",
        "line",
        "![A picture](https://site.example/a.jpg)",
        "link",
    ]
    assert [(i.url, i.alt) for i in images] == [("https://site.example/a.jpg", "A picture")]


def test_json_feed():
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "language": "en-GB",
        "items": [
            {
                "id": "1",
                "url": "https://j.example/1",
                "title": "Hello & bye",
                "content_html": "<p>One</p><p>Two</p>",
                "date_published": "2026-01-02T03:04:05Z",
            }
        ],
    }
    feed = parse_feed(json.dumps(doc))
    item = feed.items[0]
    assert (feed.kind, feed.lang, item.title, item.paragraphs) == (
        "json1.1",
        "en",
        "Hello & bye",
        ["One", "Two"],
    )
    assert item.published == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC) and item.full_text


def test_not_a_feed():
    with pytest.raises(NotAFeed):
        parse_feed("<html><body>hello</body></html>")
    with pytest.raises(NotAFeed):
        parse_feed('{"hello": 1}')


def test_atom_feed_from_the_data_keeps_its_titles_and_dates():
    raw = (SHARED_DATA / "feeds" / "rss-parser__heise.atom").read_bytes()
    feed = parse_feed(decode(raw).text)
    assert feed.title == "heise developer neueste Meldungen" and len(feed.items) == 15
    assert all(i.published for i in feed.items) and all(
        i.link.startswith("http") for i in feed.items
    )


def test_sitemap_and_index():
    urlset = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://s.example/a</loc><lastmod>2026-01-02</lastmod></url>
      <url><loc>https://s.example/b</loc></url><url><loc>javascript:x</loc></url></urlset>"""
    sitemap = parse_sitemap(urlset)
    assert [(e.url, e.lastmod) for e in sitemap.pages] == [
        ("https://s.example/a", datetime(2026, 1, 2, tzinfo=UTC)),
        ("https://s.example/b", None),
    ]
    index = parse_sitemap(b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://s.example/news.xml</loc></sitemap></sitemapindex>""")
    assert [e.url for e in index.children] == ["https://s.example/news.xml"] and not index.pages
    with pytest.raises(NotASitemap):
        parse_sitemap(b"<html></html>")


def test_sitemap_ignores_entities():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">
      <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <urlset><url><loc>https://s.example/&b;</loc></url></urlset>"""
    pages = parse_sitemap(bomb).pages
    assert all("aaaa" not in p.url for p in pages)


def test_article_links_of_an_index_page():
    html = """<a href="/news/2026/02/minister-visits-12345">story</a><a href="/about">about</a>
    <a href="https://other.example/news/1">elsewhere</a><a href="/tag/x">tag</a>
    <a href="/news/2026/02/minister-visits-12345#comments">same</a><a href="/files/x.pdf">pdf</a>"""
    assert article_links(html, "https://s.example/news") == [
        "https://s.example/news/2026/02/minister-visits-12345"
    ]


def test_polling_adapts_to_the_publishing_rate():
    now = datetime(2026, 2, 1, 12, tzinfo=UTC)
    hourly = [now - timedelta(hours=h) for h in range(10)]
    assert schedule.next_interval(3600, True, hourly, now, 600, 86400) == 1800
    daily = [now - timedelta(days=d) for d in range(5)]
    assert schedule.next_interval(600, False, daily, now, 600, 86400) == 43200
    assert schedule.next_interval(600, False, [], now, 600, 86400) == 900  # quiet: slower
    assert schedule.next_interval(1200, True, [], now, 600, 86400) == 600  # busy: faster
    assert schedule.next_interval(80000, False, [], now, 600, 86400) == 86400  # capped
    assert schedule.failure_interval(1, 600, 86400, None) == 600
    assert schedule.failure_interval(4, 600, 86400, None) == 4800
    assert schedule.failure_interval(1, 600, 86400, 7200) == 7200


def test_recheck_waits_decay():
    waits = [schedule.RECHECK_FIRST]
    while waits[-1] < schedule.RECHECK_CAP:
        waits.append(schedule.next_recheck(waits[-1]))
    assert waits[:4] == [600, 1500, 3750, 9375] and waits[-1] == 7 * 86400
