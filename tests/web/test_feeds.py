"""Atom and RSS feeds: valid, complete entries, the right articles, errors, caching, discovery."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pressroom.store.models import Article, Publisher
from pressroom.store.search import Filters, index_article, search
from pressroom.web.cache import bump_content_version
from pressroom.web.feeds.selection import LIMIT

pytestmark = pytest.mark.django_db

FORMATS = ("atom", "rss")
MEDIA = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
SOURCE = "https://www.gov.kz/memleket/entities/mfa-ljubljana/press/news/details/1154147?lang=en"


def fetch(client: Any, url: str, **headers: Any) -> feedparser.FeedParserDict:
    """GET a feed and parse it, failing the test unless it is a well-formed feed."""
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    fmt = "atom" if "/atom/" in url else "rss"
    assert response["Content-Type"] == f"{MEDIA[fmt]}; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    assert parsed.version == ("atom10" if fmt == "atom" else "rss20")
    return parsed


def body_of(entry: Any) -> str:
    """The entry's full HTML body: Atom <content>, RSS <description>."""
    return entry.content[0].value if "content" in entry else entry.summary


def via(entry: Any) -> list[str]:
    return [link.href for link in entry.get("links", []) if link.get("rel") == "via"]


def article_ids(parsed: Any) -> list[int]:
    return [int(re.search(r"/article/(\d+)/$", e.link).group(1)) for e in parsed.entries]


def indexed(article: Article) -> Article:
    index_article(article)
    return article


# -- every kind of feed, both formats, on the demo content -------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "path",
    [
        "",
        "section/news/",
        "section/society/",
        "publisher/mfa-ljubljana/",
        "language/en/",
        "search/?q=Shymkent",
        "search/?q=Kazakhstan&lang=en&section=news&from=2020-01-01&to=2030-12-31",
    ],
)
def test_every_feed_round_trips_through_feedparser(client, demo, fmt, path):
    parsed = fetch(client, f"/en/feeds/{fmt}/{path}")
    assert parsed.feed.title.endswith(" · Pressroom")
    assert parsed.feed.language == "en"
    assert parsed.entries, path
    for entry in parsed.entries:
        assert entry.link.startswith("http://testserver/en/article/")
        assert entry.published_parsed is not None
        assert entry.title and body_of(entry)
        assert entry.tags  # the sections


def test_entries_are_newest_first_and_limited(client, make_article):
    day = dt.date(2026, 2, 3)
    made = [make_article(published=day - dt.timedelta(days=i % 7)) for i in range(LIMIT + 10)]
    newest = sorted(made, key=lambda a: (a.published, a.pk), reverse=True)[:LIMIT]
    for fmt in FORMATS:
        parsed = fetch(client, f"/en/feeds/{fmt}/")
        assert article_ids(parsed) == [a.pk for a in newest]


# -- what an entry carries ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_entry_carries_full_body_source_and_metadata(client, make_article, fmt):
    paragraphs = [
        "Ljubljana, 3 February 2026 – the Embassy held talks on pharmaceuticals.",
        "The parties discussed “joint production” & <new> projects; 5 < 7.",
        "The third paragraph closes the release.",
    ]
    article = make_article(
        title="Talks on pharmaceuticals & <trade>",
        body="\n\n".join(paragraphs),
        source_url=SOURCE,
        section="Economics",
    )
    Publisher.objects.filter(slug="mfa-ljubljana").update(name_en="Embassy in Slovenia")
    (entry,) = fetch(client, f"/en/feeds/{fmt}/").entries
    assert entry.title == "Talks on pharmaceuticals & <trade>"
    assert entry.link == f"http://testserver/en/article/{article.pk}/"
    html = body_of(entry)
    for paragraph in paragraphs:
        assert paragraph in unescape(html)
    assert "<new>" not in html  # text stays text: escaped, never markup
    assert f'<a href="{SOURCE.replace("&", "&amp;")}">' in html  # the "Source:" link
    assert "Source:" in html
    assert via(entry) == [SOURCE]
    assert entry.author == "Embassy in Slovenia"
    assert [t.term for t in entry.tags] == ["Economics"]
    assert entry.published_parsed[:3] == (2026, 2, 2)  # midnight in Almaty is 19:00 UTC
    language = entry.language if fmt == "rss" else entry.content[0].language
    assert language == "en"
    if fmt == "atom":  # a one-sentence summary beside the content; the publisher's page
        assert entry.summary == paragraphs[0]
        assert entry.author_detail.href == "http://testserver/en/publishers/mfa-ljubljana/"


def test_every_paragraph_is_in_the_body_exactly(client, make_article):
    paragraphs = ["First paragraph here.", "Second: 5 < 7 & “quotes”.", "Third one."]
    make_article(body="\n\n".join(paragraphs))
    for fmt in FORMATS:
        html = body_of(fetch(client, f"/en/feeds/{fmt}/").entries[0])
        found = [unescape(p) for p in re.findall(r"<p>(.*?)</p>", html)]
        assert found[: len(paragraphs)] == paragraphs


def test_truncated_and_withdrawn_articles_say_so(client, make_article):
    make_article(truncated=True, withdrawn_at=timezone.now())
    for fmt in FORMATS:
        html = body_of(fetch(client, f"/en/feeds/{fmt}/").entries[0])
        assert "Only the beginning of this release was available to us" in html
        assert "The publisher withdrew this release on" in html


def test_no_source_link_for_missing_or_unsafe_urls(client, make_article):
    make_article(source_url="javascript:alert(1)")
    make_article(source_url=None)
    for fmt in FORMATS:
        for entry in fetch(client, f"/en/feeds/{fmt}/").entries:
            assert via(entry) == []
            assert "javascript" not in body_of(entry) and "Source:" not in body_of(entry)


@pytest.mark.parametrize("fmt", FORMATS)
def test_russian_and_kazakh_text_intact(client, make_article, fmt):
    kk = make_article(
        title="Шымкентте әлеуметтік осал азаматтарға баспана берілді",
        body="Қала әкімдігі 120 пәтер табыстады.\n\nҚұжаттар «Өрлеу» бағдарламасы бойынша берілді.",
        lang="kk",
    )
    ru = make_article(
        title="В Шымкенте социально уязвимым гражданам вручили жильё",
        body="Ключи от 120 квартир вручены.",
        lang="ru",
    )
    response = client.get(f"/ru/feeds/{fmt}/")
    raw = response.content.decode("utf-8")
    assert kk.title in raw and ru.title in raw  # UTF-8, not character references
    parsed = fetch(client, f"/ru/feeds/{fmt}/")
    assert parsed.feed.title == "Официальные новости Казахстана · Pressroom"
    assert parsed.feed.language == "ru"
    by_title = {e.title: e for e in parsed.entries}
    assert "«Өрлеу»" in body_of(by_title[kk.title])
    assert 'lang="kk"' in body_of(by_title[kk.title])
    assert [t.term for t in by_title[ru.title].tags] == ["Новости"]  # interface language
    if fmt == "atom":
        assert by_title[kk.title].title_detail.language == "kk"
    else:
        assert by_title[kk.title].language == "kk"


def test_characters_xml_cannot_carry_are_dropped(client, make_article):
    make_article(
        title="Bell\x07 and form\x0cfeed", body="Start\x01 of\x1b heading and \ufffe there."
    )
    for fmt in FORMATS:
        entry = fetch(client, f"/en/feeds/{fmt}/").entries[0]
        assert entry.title == "Bell and formfeed"
        assert "Start of heading and  there." in body_of(entry)


# -- which articles each feed lists ------------------------------------------------------


def test_section_feed_lists_only_the_section(client, make_article):
    news = make_article(section="News")
    world = make_article(section="World")
    for fmt in FORMATS:
        assert article_ids(fetch(client, f"/en/feeds/{fmt}/section/news/")) == [news.pk]
        assert article_ids(fetch(client, f"/en/feeds/{fmt}/section/world/")) == [world.pk]


def test_publisher_feed_includes_the_publishers_under_it(client, make_article):
    ministry = make_article(publisher="mfa")
    embassy = make_article(publisher="mfa-ljubljana")
    consulate = make_article(publisher="mfa-ljubljana-consulate")
    other = make_article(publisher="akimat-shymkent")
    mfa = Publisher.objects.get(slug="mfa")
    Publisher.objects.filter(slug="mfa-ljubljana").update(parent=mfa)
    Publisher.objects.filter(slug="mfa-ljubljana-consulate").update(
        parent=Publisher.objects.get(slug="mfa-ljubljana")
    )
    for fmt in FORMATS:
        top = article_ids(fetch(client, f"/en/feeds/{fmt}/publisher/mfa/"))
        assert sorted(top) == sorted([ministry.pk, embassy.pk, consulate.pk])
        middle = article_ids(fetch(client, f"/en/feeds/{fmt}/publisher/mfa-ljubljana/"))
        assert sorted(middle) == sorted([embassy.pk, consulate.pk])
        assert article_ids(fetch(client, f"/en/feeds/{fmt}/publisher/akimat-shymkent/")) == [
            other.pk
        ]


def test_language_feed_lists_only_that_language(client, make_article):
    made = {lang: make_article(lang=lang) for lang in ("en", "ru", "kk")}
    for fmt in FORMATS:
        for lang, article in made.items():
            parsed = fetch(client, f"/kk/feeds/{fmt}/language/{lang}/")
            assert article_ids(parsed) == [article.pk]
            assert parsed.feed.language == "kk"  # titles are in the interface language


def test_search_feed_uses_the_search_and_its_filters(client, make_article):
    shymkent_en = indexed(make_article(title="Housing handed over in Shymkent", section="News"))
    shymkent_ru = indexed(
        make_article(title="Жильё в Шымкенте", lang="ru", section="Society", publisher="akimat")
    )
    old = indexed(
        make_article(title="Shymkent school opens", published=dt.date(2025, 9, 1), section="News")
    )
    indexed(make_article(title="Astana bridge rebuilt", section="News"))
    for fmt in FORMATS:
        base = f"/en/feeds/{fmt}/search/"
        assert sorted(article_ids(fetch(client, f"{base}?q=Shymkent"))) == sorted(
            [shymkent_en.pk, shymkent_ru.pk, old.pk]
        )
        assert article_ids(fetch(client, f"{base}?q=Shymkent&lang=ru")) == [shymkent_ru.pk]
        assert article_ids(fetch(client, f"{base}?q=Shymkent&section=news")) == [
            shymkent_en.pk,
            old.pk,
        ]  # newest first
        assert article_ids(fetch(client, f"{base}?q=Shymkent&publisher=akimat")) == [shymkent_ru.pk]
        assert article_ids(fetch(client, f"{base}?q=Shymkent&kind=embassy&to=2025-12-31")) == [
            old.pk
        ]
        # The same day: newest stored first, as every list orders them; sort= is ignored.
        assert article_ids(fetch(client, f"{base}?q=Shymkent&from=2026-01-01&sort=relevance")) == [
            shymkent_ru.pk,
            shymkent_en.pk,
        ]
        parsed = fetch(client, f"{base}?q=Shymkent&lang=ru")
        assert parsed.feed.title == "Search: Shymkent · Pressroom"
        assert parsed.feed.link == "http://testserver/en/search/?q=Shymkent&lang=ru"


def test_hidden_articles_are_in_no_feed(client, make_article):
    shown = indexed(make_article(title="Visible story about wheat", publisher="mfa", lang="ru"))
    hidden = indexed(make_article(title="Hidden story about wheat", publisher="mfa", lang="ru"))
    Article.objects.filter(pk=hidden.pk).update(hidden=True)
    for fmt in FORMATS:
        for path in ("", "section/news/", "publisher/mfa/", "language/ru/", "search/?q=wheat"):
            assert article_ids(fetch(client, f"/en/feeds/{fmt}/{path}")) == [shown.pk], path


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/feeds/json/",
        "/en/feeds/atom/section/nowhere/",
        "/en/feeds/rss/publisher/nobody/",
        "/en/feeds/atom/language/de/",
        "/en/feeds/rss/language/EN/",
        "/de/feeds/atom/",
    ],
)
def test_unknown_things_are_404(client, make_article, url):
    make_article()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("q=a&from=yesterday", "from"),
        ("q=a&to=2026-02-30", "to"),
        ("q=a&kind=ministry%3B%20DROP", "kind"),
        ("q=a&lang=de", "lang"),
        ("q=a&section=nowhere", "section"),
        ("q=a&publisher=nobody", "publisher"),
        ("q=a&from=2026-03-01&to=2026-02-01", "to"),
    ],
)
def test_bad_search_parameters_are_400_with_the_reason(client, make_article, query, named):
    make_article()
    for fmt in FORMATS:
        response = client.get(f"/en/feeds/{fmt}/search/?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        text = response.content.decode()
        assert text.startswith("Bad search parameter:") and f"{named}:" in text


HOSTILE = [
    "",
    "   ",
    '"unbalanced quote',
    "NEAR(housing Shymkent)",
    "title:housing OR body:*",
    "^housing",
    "housing AND NOT OR",
    "-",
    "*",
    "((((",
    "'; DROP TABLE store_article; --",
    "Shymkent\x00\x01\x1b",
    "<script>alert(1)</script>",
    "ё" * 3000,
    "housing " * 1250,  # 10,000 characters
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_queries_never_fail(client, make_article, query):
    indexed(make_article(title="Housing handed over in Shymkent"))
    for fmt in FORMATS:
        parsed = fetch(client, f"/en/feeds/{fmt}/search/", data={"q": query})
        assert parsed.feed.title.startswith("Search:")
        assert all("/article/" in entry.link for entry in parsed.entries)


def test_undecodable_query_bytes_never_fail(client, make_article):
    indexed(make_article(title="Housing handed over in Shymkent"))
    for fmt in FORMATS:
        fetch(client, f"/en/feeds/{fmt}/search/?q=%ff%fe%00housing%c3")
        assert client.get(f"/en/feeds/{fmt}/search/?q=a&section=%c3").status_code == 400


# -- speed: queries and the page cache ---------------------------------------------------

SEARCH = "search/?q=story&section=news&publisher=mfa-ljubljana"
FEED_PATHS = {  # path -> most queries it may make
    "": 2,  # articles with publishers, their sections
    "section/news/": 4,  # the section, its listing rows, articles, sections
    "publisher/mfa-ljubljana/": 4,  # the publisher, the publisher tree, articles, sections
    "language/ru/": 2,
    SEARCH: 4,  # beyond search()'s own: the two filters checked, articles, sections
}


def search_queries() -> int:
    """What ``search()`` itself costs for SEARCH (it differs between the engines)."""
    with CaptureQueriesContext(connection) as ctx:
        search(
            "story", Filters(section="news", publisher="mfa-ljubljana"), sort="date", per_page=LIMIT
        )
    return len(ctx.captured_queries)


def fill(make_article: Any, n: int) -> None:
    for i in range(n):
        indexed(
            make_article(
                title=f"Story {i}",
                lang=("en", "ru", "kk")[i % 3],
                section=("News", "Society")[i % 2],
                published=dt.date(2026, 2, 3) - dt.timedelta(days=i % 5),
            )
        )


def count_queries(client: Any, url: str) -> int:
    bump_content_version()
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    return len(ctx.captured_queries)


def test_queries_are_bounded_and_do_not_grow_with_the_entries(client, make_article):
    fill(make_article, 6)
    small = {path: count_queries(client, f"/en/feeds/atom/{path}") for path in FEED_PATHS}
    fill(make_article, 120)
    large = {path: count_queries(client, f"/en/feeds/rss/{path}") for path in FEED_PATHS}
    assert small == large
    large[SEARCH] -= search_queries()
    for path, bound in FEED_PATHS.items():
        assert large[path] <= bound, (path, large[path])


def test_feeds_are_cached_revalidated_and_invalidated(client, make_article):
    make_article(title="First story")
    url = "/en/feeds/atom/section/news/"
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss" and first["ETag"] and first["Last-Modified"]
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit" and len(ctx.captured_queries) == 0
    assert second.content == first.content
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    make_article(title="Second story")
    bump_content_version()  # what ingest and the admin do after a commit
    assert [e.title for e in fetch(client, url).entries] == ["Second story", "First story"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_search_feeds_are_cached_within_a_budget(client, make_article, settings, monkeypatch):
    from pressroom.web.feeds import views

    indexed(make_article(title="Housing in Shymkent"))
    monkeypatch.setattr(views, "SEARCH_FEEDS_PER_HOUR", 2)
    client.get("/en/feeds/atom/search/?q=housing")
    assert client.get("/en/feeds/atom/search/?q=housing")["X-Page-Cache"] == "hit"
    client.get("/en/feeds/atom/search/?q=Shymkent")
    for _ in range(2):  # past the budget: built for each request, never stored
        assert client.get("/en/feeds/atom/search/?q=house").get("X-Page-Cache") is None
    long = "q=" + "housing+" * 60
    client.get(f"/en/feeds/atom/search/?{long}")
    assert client.get(f"/en/feeds/atom/search/?{long}").get("X-Page-Cache") is None


# -- autodiscovery -----------------------------------------------------------------------

LINK = re.compile(
    r'<link rel="alternate" type="(application/(?:atom|rss)\+xml)" title="([^"]*)" href="([^"]*)">'
)


def discovered(client: Any, url: str) -> list[tuple[str, str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [
        (t, unescape(title), unescape(href))
        for t, title, href in LINK.findall(response.content.decode())
    ]


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/en/", ["/en/feeds/{fmt}/"]),
        ("/en/news/", ["/en/feeds/{fmt}/"]),
        ("/ru/section/news/", ["/ru/feeds/{fmt}/", "/ru/feeds/{fmt}/section/news/"]),
        (
            "/en/section/news/?lang=kk",
            ["/en/feeds/{fmt}/", "/en/feeds/{fmt}/section/news/", "/en/feeds/{fmt}/language/kk/"],
        ),
        (
            "/kk/publishers/mfa-ljubljana/",
            ["/kk/feeds/{fmt}/", "/kk/feeds/{fmt}/publisher/mfa-ljubljana/"],
        ),
        ("/en/news/?lang=ru", ["/en/feeds/{fmt}/", "/en/feeds/{fmt}/language/ru/"]),
        (
            "/en/search/?q=Shymkent&lang=en&sort=date&page=1",
            ["/en/feeds/{fmt}/", "/en/feeds/{fmt}/search/?q=Shymkent&lang=en"],
        ),
        ("ARTICLE", ["/en/feeds/{fmt}/"]),
    ],
)
def test_pages_announce_their_feeds_and_the_links_work(client, make_article, page, feeds):
    article = indexed(make_article(title="Housing handed over in Shymkent", lang="kk"))
    for lang in ("en", "ru"):
        indexed(make_article(title=f"Shymkent story {lang}", lang=lang))
    url = f"/en/article/{article.pk}/" if page == "ARTICLE" else page
    links = discovered(client, url)
    expected = [(MEDIA[fmt], feed.format(fmt=fmt)) for feed in feeds for fmt in FORMATS]
    assert [(media, href) for media, _title, href in links] == expected
    for media, title, href in links:
        assert title.endswith("(Atom)" if "atom" in media else "(RSS)")
        parsed = fetch(client, href)
        assert parsed.entries, href
        assert title.startswith(parsed.feed.title)


def test_discovery_names_the_section_and_publisher(client, make_article):
    make_article()
    Publisher.objects.filter(slug="mfa-ljubljana").update(name_ru="Посольство в Словении")
    section_links = discovered(client, "/ru/section/news/")
    assert section_links[2][1] == "Новости · Pressroom (Atom)"
    publisher_links = discovered(client, "/ru/publishers/mfa-ljubljana/")
    assert publisher_links[2][1] == "Посольство в Словении · Pressroom (Atom)"


def test_section_and_publisher_pages_offer_subscribe_links(client, make_article):
    make_article()
    for page, feed in [
        ("/en/section/news/", "section/news/"),
        ("/en/publishers/mfa-ljubljana/", "publisher/mfa-ljubljana/"),
    ]:
        html = client.get(page).content.decode()
        subscribe = html[html.index('class="filter subscribe"') :]
        subscribe = subscribe[: subscribe.index("</p>")]
        assert f'href="/en/feeds/atom/{feed}"' in subscribe
        assert f'href="/en/feeds/rss/{feed}"' in subscribe


def test_discovery_adds_no_query_to_pages(client, make_article, django_assert_max_num_queries):
    """The portal's query bounds (test_queries.py) hold with the feed links in the head."""
    make_article()
    with django_assert_max_num_queries(4):
        client.get("/en/")
    bump_content_version()
    with django_assert_max_num_queries(6):
        client.get("/en/section/news/?lang=en")
