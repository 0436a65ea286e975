"""Discovery: the sitemap index and its children, robots.txt, canonical links, OpenGraph, JSON-LD.

Sitemaps are parsed as XML and checked against the protocol (namespaces, absolute
``loc``, W3C datetimes, at most ``size`` URLs a page); every visible article must be in
exactly one page, a hidden one in none.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pressroom.store.models import Article
from pressroom.web.cache import bump_content_version
from pressroom.web.metadata import trim
from tests.web.test_browser import browser, visit  # noqa: F401 - fixtures of the browser test

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# W3C Datetime as the protocol allows it: a date, or a date and time with an offset.
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
URL_CHILDREN = {f"{SM}loc", f"{SM}lastmod", f"{SM}changefreq", f"{SM}priority"}
HOSTILE = "</script><script>alert('x')</script> \"Quoted\" & <b>bold</b> <!-- end"


def fetch_xml(client: Any, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def absolute(loc: str | None) -> str:
    assert loc is not None and loc == loc.strip()
    parts = urlsplit(loc)
    assert parts.scheme == "http" and parts.netloc == "testserver", loc
    return parts.path + (f"?{parts.query}" if parts.query else "")


def index_paths(client: Any) -> list[str]:
    root = fetch_xml(client, "/sitemap.xml")
    assert root.tag == f"{SM}sitemapindex"
    paths = []
    for sitemap in root:
        assert sitemap.tag == f"{SM}sitemap"
        assert {c.tag for c in sitemap} <= {f"{SM}loc", f"{SM}lastmod"}
        paths.append(absolute(sitemap.findtext(f"{SM}loc")))
    assert len(paths) == len(set(paths))
    return paths


def urlset(client: Any, path: str, size: int, allow_empty: bool = False) -> list[dict[str, Any]]:
    """The URLs of a child sitemap, checked against the protocol."""
    root = fetch_xml(client, path)
    assert root.tag == f"{SM}urlset"
    urls = list(root)
    assert (0 if allow_empty else 1) <= len(urls) <= size, (path, len(urls))
    out = []
    for url in urls:
        assert url.tag == f"{SM}url"
        assert url[0].tag == f"{SM}loc"  # loc first
        own = [c.tag for c in url if c.tag.startswith(SM)]
        assert set(own) <= URL_CHILDREN and len(own) == len(set(own))
        lastmod = url.findtext(f"{SM}lastmod")
        assert lastmod is None or W3C.match(lastmod), lastmod
        alternates = {}
        for link in url.findall(f"{XHTML}link"):
            assert link.get("rel") == "alternate"
            alternates[link.get("hreflang")] = absolute(link.get("href"))
        out.append(
            {
                "loc": absolute(url.findtext(f"{SM}loc")),
                "lastmod": lastmod,
                "alternates": alternates,
                "news": url.find(f"{NEWS}news"),
            }
        )
    return out


@pytest.fixture
def small_pages(settings: Any) -> int:
    settings.PRESSROOM_SITEMAP_SIZE = 4
    return 4


def article_locs(client: Any, size: int) -> list[str]:
    locs: list[str] = []
    for path in index_paths(client):
        if path.startswith("/sitemap-articles-"):
            locs += [u["loc"] for u in urlset(client, path, size, allow_empty=True)]
    return locs


# -- the sitemap index and the article pages ---------------------------------------------------


def test_every_visible_article_in_exactly_one_page_hidden_never(client, make_article, small_pages):
    langs = ["en", "ru", "kk", "en", "zz"]
    articles = [make_article(lang=langs[i % 5]) for i in range(23)]
    # Hidden: the first, the last, and every article of one block in the middle.
    empty_block = (articles[10].pk - 1) // 4 + 1
    hidden = {articles[0].pk, articles[-1].pk}
    hidden |= {a.pk for a in articles if (a.pk - 1) // 4 + 1 == empty_block}
    Article.objects.filter(pk__in=hidden).update(hidden=True)
    # A block inside the listed range with nothing visible: an empty urlset, not an error.
    empty = fetch_xml(client, f"/sitemap-articles-{empty_block}.xml")
    assert empty.tag == f"{SM}urlset" and len(empty) == 0
    locs = article_locs(client, small_pages)
    assert len(locs) == len(set(locs))
    expected = {
        f"/{a.lang if a.lang in ('en', 'ru', 'kk') else 'en'}/article/{a.pk}/"
        for a in articles
        if a.pk not in hidden
    }
    assert set(locs) == expected
    # Pages are id blocks: from the first visible article's block to the last one's.
    pages = [p for p in index_paths(client) if p.startswith("/sitemap-articles-")]
    visible = sorted(a.pk for a in articles if a.pk not in hidden)
    first, last = (visible[0] - 1) // 4 + 1, (visible[-1] - 1) // 4 + 1
    assert pages == [f"/sitemap-articles-{n}.xml" for n in range(first, last + 1)]
    assert last - first + 1 >= math.ceil(len(visible) / 4)


def test_lastmod_is_the_articles_last_change(client, make_article):
    changed = dt.datetime(2026, 2, 5, 9, 30, 15, tzinfo=dt.UTC)
    article = make_article(updated_at=changed)
    (url,) = urlset(client, f"/sitemap-articles-{(article.pk - 1) // 50_000 + 1}.xml", 50_000)
    assert url["lastmod"] == "2026-02-05T09:30:15+00:00"


def test_translations_are_hreflang_alternates_under_each_ones_language(client, make_article):
    en = make_article(lang="en", source_key="govkz:mfa:77:en")
    ru = make_article(lang="ru", source_key="govkz:mfa:77:ru")
    kk = make_article(lang="kk", source_key="govkz:mfa:77:kk")
    alone = make_article(lang="ru", source_key="govkz:mfa:78:ru")
    gone = make_article(lang="en", source_key="govkz:mfa:78:en", hidden=True)
    odd = make_article(lang="en", source_key="govkz:mfa:77:xx")  # key of another language
    urls = {u["loc"]: u for u in urlset(client, "/sitemap-articles-1.xml", 50_000)}
    story = {"en": f"/en/article/{en.pk}/", "ru": f"/ru/article/{ru.pk}/"}
    story["kk"] = f"/kk/article/{kk.pk}/"
    for loc in story.values():
        assert urls[loc]["alternates"] == story
    assert urls[f"/ru/article/{alone.pk}/"]["alternates"] == {}  # its translation is hidden
    assert f"/en/article/{gone.pk}/" not in urls
    assert urls[f"/en/article/{odd.pk}/"]["alternates"] == {}


def test_empty_store(client):
    assert index_paths(client) == ["/sitemap-pages-1.xml"]
    pages = urlset(client, "/sitemap-pages-1.xml", 50_000)
    assert {u["loc"] for u in pages} >= {"/en/", "/ru/", "/kk/", "/en/news/", "/kk/archive/"}
    for path in ("/sitemap-articles-1.xml", "/sitemap-news-1.xml", "/sitemap-sections-1.xml"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-articles-0.xml",
        "/sitemap-articles-99.xml",
        "/sitemap-articles-999999999999.xml",
        "/sitemap-articles-1234567890123.xml",
        "/sitemap-articles-x.xml",
        "/sitemap-articles--1.xml",
        "/sitemap-nothing-1.xml",
        "/sitemap-pages-0.xml",
        "/sitemap-pages-4.xml",  # 12 URLs: pages 1-3
        "/sitemap-news-2.xml",
        "/sitemap-articles.xml",
        "/en/sitemap.xml",
    ],
)
def test_pages_the_index_does_not_list_are_404(client, make_article, small_pages, path):
    for _ in range(9):
        make_article()
    assert client.get(path).status_code == 404


def test_sections_and_publishers_with_visible_articles_in_every_language(client, make_article):
    make_article(section="Society", publisher="mfa")
    make_article(section="Culture", publisher="akimat-almaty", hidden=True)
    paths = index_paths(client)
    sections = {u["loc"]: u for u in urlset(client, "/sitemap-sections-1.xml", 50_000)}
    assert set(sections) == {"/en/section/society/", "/ru/section/society/", "/kk/section/society/"}
    assert sections["/ru/section/society/"]["alternates"] == {
        "en": "/en/section/society/",
        "ru": "/ru/section/society/",
        "kk": "/kk/section/society/",
        "x-default": "/en/section/society/",
    }
    publishers = {u["loc"] for u in urlset(client, "/sitemap-publishers-1.xml", 50_000)}
    assert publishers == {"/en/publishers/mfa/", "/ru/publishers/mfa/", "/kk/publishers/mfa/"}
    assert "/sitemap-sections-1.xml" in paths and "/sitemap-publishers-1.xml" in paths


def test_every_listed_page_exists(client, make_article):
    make_article(published=timezone.localdate())
    for path in index_paths(client):
        for url in urlset(client, path, 50_000):
            assert client.get(url["loc"]).status_code == 200, url["loc"]


def test_news_sitemap_holds_the_last_two_days(client, make_article):
    today = timezone.localdate()
    fresh = make_article(title="Fresh & <new>", lang="kk", published=today)
    yesterday = make_article(published=today - dt.timedelta(days=1))
    old = make_article(published=today - dt.timedelta(days=2))
    assert "/sitemap-news-1.xml" in index_paths(client)
    urls = {u["loc"]: u for u in urlset(client, "/sitemap-news-1.xml", 1000)}
    assert set(urls) == {f"/kk/article/{fresh.pk}/", f"/en/article/{yesterday.pk}/"}
    assert f"/en/article/{old.pk}/" not in urls
    news = urls[f"/kk/article/{fresh.pk}/"]["news"]
    assert news.findtext(f"{NEWS}title") == "Fresh & <new>"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "kk"
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Pressroom"
    assert news.findtext(f"{NEWS}publication_date") == today.isoformat()


# -- caching, conditional GET, hosts, query counts --------------------------------------------


def test_sitemaps_are_cached_revalidated_and_refreshed_after_a_change(client, make_article):
    article = make_article()
    first = client.get("/sitemap-articles-1.xml")
    assert first["X-Page-Cache"] == "miss" and first["ETag"] and first["Last-Modified"]
    assert client.get("/sitemap-articles-1.xml")["X-Page-Cache"] == "hit"
    again = client.get("/sitemap-articles-1.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    make_article()
    Article.objects.filter(pk=article.pk).update(hidden=True)
    bump_content_version()  # what ingest and the admin do after a change
    fresh = client.get("/sitemap-articles-1.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh["X-Page-Cache"] == "miss"
    assert f"/article/{article.pk}/".encode() not in fresh.content


def test_absolute_urls_follow_the_host_and_are_cached_per_host(client, make_article, settings):
    make_article()
    settings.ALLOWED_HOSTS = ["testserver", "news.example.kz"]
    here = client.get("/sitemap.xml").content
    there = client.get("/sitemap.xml", HTTP_HOST="news.example.kz", secure=True).content
    assert b"<loc>http://testserver/sitemap-pages-1.xml</loc>" in here
    assert b"<loc>https://news.example.kz/sitemap-pages-1.xml</loc>" in there
    robots = client.get("/robots.txt", HTTP_HOST="news.example.kz").content.decode()
    assert "Sitemap: http://news.example.kz/sitemap.xml" in robots


def queries(client: Any, path: str) -> int:
    bump_content_version()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200, path
    # Savepoints are the test's own transaction around the view's (BEGIN in production).
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def test_queries_are_few_and_do_not_grow_with_the_articles(client, make_article):
    for i in range(20):
        make_article(published=timezone.localdate(), source_key=f"govkz:mfa:{i}:en")
    small = {p: queries(client, p) for p in index_paths(client)}
    small["/sitemap.xml"] = queries(client, "/sitemap.xml")
    for i in range(60):
        make_article(section=f"S{i % 7}", publisher=f"p{i % 9}")
    large = {p: queries(client, p) for p in small}
    # index: sections, publishers, first and last article id, recent news
    assert large["/sitemap.xml"] == small["/sitemap.xml"] == 5
    # an article page: the range scan (on PostgreSQL also SET LOCAL jit = off)
    page = 2 if connection.vendor == "postgresql" else 1
    assert large["/sitemap-articles-1.xml"] == small["/sitemap-articles-1.xml"] == page
    assert large == small
    assert max(large.values()) <= 5


# -- robots.txt -------------------------------------------------------------------------------


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for rule in ("Disallow: /admin/", "Disallow: /*/search/", "Disallow: /api/", "Allow: /"):
        assert rule in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the portal itself stays open
    assert client.get("/robots.txt")["X-Page-Cache"] == "hit"


# -- article pages: canonical, OpenGraph, JSON-LD ------------------------------------------


def head(client: Any, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, path
    return lxml.html.fromstring(response.content).find("head"), response.content.decode()


def og(head_el: Any) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in head_el.findall("meta[@property]"):
        tags.setdefault(meta.get("property"), []).append(meta.get("content"))
    return tags


def json_ld(head_el: Any) -> dict[str, Any]:
    (script,) = head_el.findall("script[@type='application/ld+json']")
    data: dict[str, Any] = json.loads(script.text)
    return data


def test_article_page_metadata_with_a_hostile_title(client, make_article):
    from pressroom.store.models import Publisher

    article = make_article(
        title=HOSTILE,
        body="The first paragraph says what happened. " * 12 + "\n\nThe second one.",
        lang="ru",
        published=dt.date(2026, 2, 3),
        section="Society",
        publisher="mfa",
        source_url="https://www.gov.kz/memleket/entities/mfa/press/news/details/1?lang=ru",
        source_key="govkz:mfa:1:ru",
        updated_at=dt.datetime(2026, 2, 4, 8, 0, tzinfo=dt.UTC),
    )
    Publisher.objects.filter(slug="mfa").update(
        name_ru="МИД Казахстана", name_en="MFA", home_url="https://www.gov.kz/memleket/entities/mfa"
    )
    english = make_article(lang="en", source_key="govkz:mfa:1:en")
    canonical = f"http://testserver/ru/article/{article.pk}/"
    for ui in ("en", "ru", "kk"):  # every interface shows it; all name the same canonical URL
        head_el, raw = head(client, f"/{ui}/article/{article.pk}/")
        assert raw.count("<script") == 1  # the title never opens or closes an element
        assert "</script><script>" not in raw
        (link,) = head_el.findall("link[@rel='canonical']")
        assert link.get("href") == canonical
        tags = og(head_el)
        description = trim("The first paragraph says what happened. " * 12)
        assert description.endswith("…") and len(description) <= 200
        assert tags == {
            "og:type": ["article"],
            "og:site_name": ["Pressroom"],
            "og:title": [HOSTILE],
            "og:description": [description],
            "og:url": [canonical],
            "og:locale": ["ru_RU"],
            "og:locale:alternate": ["en_US"],
            "article:published_time": ["2026-02-03"],
            "article:modified_time": ["2026-02-04T08:00:00+00:00"],
            "article:section": ["Общество"],
        }
        assert head_el.find("meta[@name='description']").get("content") == description
        alternates = {
            el.get("hreflang"): el.get("href")
            for el in head_el.findall("link[@rel='alternate'][@hreflang]")
        }
        assert alternates == {
            "ru": canonical,
            "en": f"http://testserver/en/article/{english.pk}/",
        }
        data = json_ld(head_el)
        publisher = {
            "@type": "Organization",
            "name": "МИД Казахстана",
            "url": "https://www.gov.kz/memleket/entities/mfa",
        }
        assert data == {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": HOSTILE,
            "description": description,
            "datePublished": "2026-02-03",
            "dateModified": "2026-02-04T08:00:00+00:00",
            "inLanguage": "ru",
            "articleSection": ["Общество"],
            "publisher": publisher,
            "author": publisher,
            "isBasedOn": article.source_url,
            "url": canonical,
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "isAccessibleForFree": True,
        }


def test_article_without_publisher_source_or_translations(client, make_article):
    article = make_article(body="", publisher=None, section=None, source_url="javascript:x()")
    head_el, _raw = head(client, f"/kk/article/{article.pk}/")
    data = json_ld(head_el)
    assert data["description"] == article.title
    for absent in ("publisher", "author", "isBasedOn", "articleSection"):
        assert absent not in data
    assert "article:section" not in og(head_el)
    assert (
        head_el.findall("link[@rel='alternate'][@hreflang]") == []
    )  # no translations, no hreflang
    assert og(head_el)["og:url"] == [f"http://testserver/en/article/{article.pk}/"]


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/en/", "http://testserver/en/"),
        ("/ru/news/?page=2&upto=2000000000&lang=en", "http://testserver/ru/news/?page=2&lang=en"),
        ("/kk/news/?page=1", "http://testserver/kk/news/"),
        ("/en/section/news/", "http://testserver/en/section/news/"),
        ("/en/publishers/", "http://testserver/en/publishers/"),
    ],
)
def test_other_pages_have_a_canonical_link_and_basic_opengraph(
    client, make_article, path, canonical
):
    for _ in range(25):
        make_article()
    head_el, _raw = head(client, path)
    (link,) = head_el.findall("link[@rel='canonical']")
    assert link.get("href") == canonical
    tags = og(head_el)
    ui = path[1:3]
    locales = {"en": "en_US", "ru": "ru_RU", "kk": "kk_KZ"}
    assert tags["og:type"] == ["website"] and tags["og:site_name"] == ["Pressroom"]
    assert tags["og:url"] == [canonical]
    assert tags["og:locale"] == [locales[ui]]
    assert sorted(tags["og:locale:alternate"]) == sorted(v for k, v in locales.items() if k != ui)
    title = head_el.findtext("title")
    assert title == f"{tags['og:title'][0]} · Pressroom"
    assert tags["og:description"] == [head_el.find("meta[@name='description']").get("content")]
    assert head_el.findall("script[@type='application/ld+json']") == []


def test_a_404_page_names_no_canonical_url(client):
    response = client.get("/en/article/999999/")
    assert response.status_code == 404
    assert b'rel="canonical"' not in response.content
    assert b"og:url" not in response.content


def test_article_page_queries_unchanged(client, make_article, django_assert_max_num_queries):
    article = make_article(source_key="govkz:mfa:5:en")
    make_article(lang="ru", source_key="govkz:mfa:5:ru")
    with django_assert_max_num_queries(10):  # the article page's bound (test_queries.py)
        client.get(f"/en/article/{article.pk}/")


# -- in a browser: the JSON-LD block is data, under the CSP as without it -------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("csp", ["with CSP", "CSP bypassed"])
def test_json_ld_is_inert_data_in_a_browser(visit, make_article, csp):  # noqa: F811
    title = '</script><script>window.__pwned=1</script> "Quoted" & <!-- end'
    article = make_article(title=title, lang="ru")
    v = visit(bypass_csp=(csp == "CSP bypassed"))
    v.go(f"/ru/article/{article.pk}/")
    v.page.wait_for_load_state("load")
    assert v.page.evaluate("window.__pwned") is None
    data = v.page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["headline"] == title and data["@type"] == "NewsArticle"
    # A CSP violation would be logged as a console error ("Refused to execute ...").
    assert v.errors == []


def test_trim_cuts_at_a_word_boundary():
    assert trim("  Short   text. ") == "Short text."
    cut = trim("word " * 100, 50)
    assert cut == ("word " * 10).strip() + "…" and len(cut) == 50
    assert trim("word " * 9 + "wordy " * 9, 50) == ("word " * 9).strip() + "…"
    assert trim("x" * 300, 20) == "x" * 19 + "…"  # no space to cut at: cut the word
