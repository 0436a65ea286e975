"""The portal's search page: results, filters, sorts, pages, no-match and bad input.

Runs on the demo content (the reference page's stories must come first for their own
words) and on articles made here with a made-up word, so that each filter's answer is
known exactly. The last test drives the header's search box in Chromium and runs axe.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from pressroom.store.models import Article, Publisher
from pressroom.store.search import index_article
from pressroom.web.cache import bump_content_version
from pressroom.web.views import search as search_view
from tests.web.conftest import REFERENCE_TITLES

pytestmark = pytest.mark.django_db

_HIT = re.compile(r'<h3 class="item__title" lang="(\w+)"><a href="([^"]+)">(.*?)</a></h3>', re.S)
_TAG = re.compile(r"<[^>]+>")


def get(client: Any, path: str, **params: str) -> Any:
    return client.get(path + ("?" + urlencode(params) if params else ""))


def hits(response: Any) -> list[str]:
    """The titles of the hits on a result page, in order, as text."""
    return [unescape(_TAG.sub("", m.group(3))) for m in _HIT.finditer(response.content.decode())]


def pagination(response: Any) -> str:
    found = re.search(r'<nav class="pagination".*?</nav>', response.content.decode(), re.S)
    return unescape(found.group(0)) if found else ""


# -- the reference page's stories, Shymkent -------------------------------------------------

WORDS = [
    ("pharmaceutical", 0), ("partnership", 0), ("Musical", 1), ("Ljubljana", 1), ("concert", 1),
    ("Steering", 2), ("Council", 2), ("Europe", 2), ("Constitution", 3), ("Auezov", 3),
    ("University", 3), ("housing", 4), ("vulnerable", 4),
]  # fmt: skip


@pytest.mark.parametrize(("word", "story"), WORDS)
def test_a_word_of_each_reference_story_finds_it_first(client, demo, word, story):
    response = get(client, "/en/search/", q=word)
    assert response.status_code == 200
    assert hits(response)[0] == REFERENCE_TITLES[story]
    assert "<mark>" in response.content.decode()


def test_shymkent_finds_every_shymkent_story_in_either_script(client, demo, made):
    cyrillic = made(title="В Шымкенте открыли новую школу", body="Школа на 900 мест.", lang="ru")
    shymkent = set(
        Article.objects.visible()
        .filter(title__icontains="Shymkent")
        .values_list("title", flat=True)
    ) | {cyrillic.title}  # fmt: skip
    assert len(shymkent) >= 5
    found = set(hits(get(client, "/en/search/", q="Shymkent")))
    assert shymkent <= found
    back = hits(get(client, "/en/search/", q="Шымкент"))
    assert cyrillic.title in back
    assert "Socially vulnerable citizens provided with housing in Shymkent" in back


def test_a_result_shows_highlights_date_publisher_sections_and_links(client, demo):
    page = get(client, "/en/search/", q="vulnerable").content.decode()
    article = Article.objects.get(title=REFERENCE_TITLES[4])
    assert f'<a href="/en/article/{article.pk}/">Socially <mark>vulnerable</mark>' in page
    assert re.search(r'<p class="item__lead" lang="en">[^<]*<mark>vulnerable</mark>', page)
    assert f'<time datetime="{article.published.isoformat()}">' in page
    for section in article.sections.all():
        assert f'href="/en/section/{section.slug}/">' in page
    assert "1 article found" in page


# -- articles made here -----------------------------------------------------------------------


@pytest.fixture
def made(make_article):
    """make_article, indexed for search (the pipeline indexes what it stores; this does not)."""

    def make(**fields: Any) -> Article:
        article = make_article(**fields)
        index_article(article)
        return article

    return make


@pytest.fixture
def corpus(made):
    """Four articles with the word 'quokka', one per filter value, publishers in a tree."""
    mfa = Publisher.objects.create(slug="mfa", kind=Publisher.Kind.MINISTRY, name_en="MFA")
    Publisher.objects.create(
        slug="mfa-ljubljana", kind=Publisher.Kind.EMBASSY, parent=mfa, name_en="Embassy"
    )
    Publisher.objects.create(slug="shymkent", kind=Publisher.Kind.AKIMAT, name_en="Akimat")
    body = "A quokka was seen. Nothing else happened."
    return {
        "en": made(title="Quokka in Ljubljana", body=body, lang="en",
                   published=dt.date(2026, 1, 10), section="News", publisher="mfa-ljubljana"),
        "ru": made(title="Квокка в Москве", body="Quokka сфотографировали.", lang="ru",
                   published=dt.date(2025, 6, 1), section="Society", publisher="mfa"),
        "kk": made(title="Quokka Шымкентте", body="Quokka туралы.", lang="kk",
                   published=dt.date(2024, 3, 3), section="News", publisher="shymkent"),
        "none": made(title="Quokka of nobody", body=body, lang="en",
                     published=dt.date(2023, 12, 31), section=None, publisher=None),
    }  # fmt: skip


FILTERS = [
    ({}, {"en", "ru", "kk", "none"}),
    ({"section": "news"}, {"en", "kk"}),
    ({"section": "society"}, {"ru"}),
    ({"publisher": "mfa"}, {"en", "ru"}),  # the embassy is under the ministry
    ({"publisher": "mfa-ljubljana"}, {"en"}),
    ({"kind": "akimat"}, {"kk"}),
    ({"kind": "embassy"}, {"en"}),
    ({"lang": "ru"}, {"ru"}),
    ({"lang": "en"}, {"en", "none"}),
    ({"from": "2025-01-01"}, {"en", "ru"}),
    ({"to": "2024-03-03"}, {"kk", "none"}),
    ({"from": "2024-03-03", "to": "2025-06-01"}, {"ru", "kk"}),
    ({"from": "2026-01-10", "to": "2026-01-10"}, {"en"}),
    ({"section": "news", "lang": "kk", "kind": "akimat"}, {"kk"}),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_every_filter_narrows_to_the_right_articles(client, corpus, params, expected):
    response = get(client, "/en/search/", q="quokka", **params)
    assert response.status_code == 200
    assert set(hits(response)) == {corpus[key].title for key in expected}
    page = response.content.decode()
    for name, value in params.items():  # the form shows the filter in use
        if name in ("from", "to"):
            assert f'name="{name}" value="{value}"' in page
        else:
            assert re.search(rf'<select id="search-{name}" name="{name}".*?'
                             rf'<option value="{value}" selected>', page, re.S)  # fmt: skip


def test_the_language_mark_of_foreign_items_follows_the_interface(client, corpus):
    en = get(client, "/en/search/", q="quokka").content.decode()
    assert en.count("badge--lang") == 2
    assert "in Russian" in en and "in Kazakh" in en
    ru = get(client, "/ru/search/", q="quokka").content.decode()
    assert ru.count("badge--lang") == 3  # two English, one Kazakh


def test_sorts_relevance_and_date(client, made):
    old = made(title="Wombat wombat: all about the wombat", body="Wombat. " * 5,
               published=dt.date(2020, 1, 1))  # fmt: skip
    new = made(title="Budget news", body="A long text that mentions a wombat once, in passing.",
               published=dt.date(2026, 2, 1))  # fmt: skip
    assert hits(get(client, "/en/search/", q="wombat")) == [old.title, new.title]
    assert hits(get(client, "/en/search/", q="wombat", sort="relevance")) == [old.title, new.title]
    dated = get(client, "/en/search/", q="wombat", sort="date")
    assert hits(dated) == [new.title, old.title]
    assert '<option value="date" selected>' in dated.content.decode()


# -- pages ------------------------------------------------------------------------------------


@pytest.fixture
def pelicans(made):
    return [
        made(title=f"Pelican report {i:02d}", body="Pelicans were counted.",
             published=dt.date(2025, 1, 1) + dt.timedelta(days=i))
        for i in range(45)
    ]  # fmt: skip


def test_pagination_keeps_every_parameter(client, pelicans):
    params = {"q": "pelican", "section": "news", "lang": "en", "from": "2025-01-01",
              "sort": "date"}  # fmt: skip
    first = get(client, "/en/search/", **params)
    assert first.status_code == 200
    assert "45 articles found" in first.content.decode()
    seen = hits(first)
    assert seen[0] == "Pelican report 44" and len(seen) == 20
    nav = pagination(first)
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert hrefs and all(dict(parse_qsl(urlsplit(h).query)) | {"page": "x"}
                         == params | {"page": "x"} for h in hrefs)  # fmt: skip
    next_url = re.search(r'rel="next" href="([^"]+)"', nav).group(1)
    for number in (2, 3):
        assert dict(parse_qsl(urlsplit(next_url).query))["page"] == str(number)
        response = client.get("/en/search/" + next_url)
        assert response.status_code == 200
        seen += hits(response)
        assert f"(results {(number - 1) * 20 + 1}–" in response.content.decode()
        found = re.search(r'rel="next" href="([^"]+)"', pagination(response))
        next_url = found.group(1) if found else ""
    assert next_url == ""  # page 3 is the last
    assert seen == [f"Pelican report {i:02d}" for i in reversed(range(45))]
    prev = re.search(r'rel="prev" href="([^"]+)"', pagination(response)).group(1)
    assert dict(parse_qsl(urlsplit(prev).query)) == params | {"page": "2"}


def test_a_page_past_the_last_says_so(client, pelicans):
    response = get(client, "/en/search/", q="pelican", page="4")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page 4 of this search" in page
    assert 'href="?q=pelican">' in page


def test_totals_past_the_count_cap_read_more_than(client, pelicans, monkeypatch):
    from pressroom.store.search import service

    monkeypatch.setattr(service, "COUNT_CAP", 30)
    page = get(client, "/en/search/", q="pelican").content.decode()
    assert "More than 30 articles found" in page


def test_thousands_are_grouped_the_readers_way():
    from django.utils.translation import override

    with override("en"):
        assert search_view._number(1000) == "1,000"
    with override("ru"):
        assert search_view._number(1000).replace("\xa0", " ") == "1 000"


# -- nothing found, nothing asked --------------------------------------------------------------


def test_no_match_says_what_was_searched_and_how_to_widen_it(client, corpus):
    params = {"q": "xylophonez", "section": "news", "lang": "en", "from": "2020-01-01"}
    response = get(client, "/en/search/", **params)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "No articles match “xylophonez” with these filters" in page
    assert "Check the spelling" in page
    removes = dict(re.findall(r'<a href="\?([^"]+)" aria-label="Remove filter ([^"]+)"', page))
    assert set(removes.values()) == {
        "Section: News", "Language: English", "From: 1 January 2020"
    }  # fmt: skip
    for query, label in removes.items():
        left = dict(parse_qsl(query))
        dropped = {"Section: News": "section", "Language: English": "lang"}.get(label, "from")
        assert left == {k: v for k, v in params.items() if k != dropped}
    assert '<a href="?q=xylophonez">Remove all filters</a>' in page
    assert hits(response) == []


def test_no_match_without_filters_and_with_the_engines_notes(client, corpus):
    long_query = " ".join(f"nonesuch{i}" for i in range(40))
    page = unescape(get(client, "/en/search/", q=long_query).content.decode())
    assert "No articles match “nonesuch0" in page
    assert "Remove a filter" not in page
    assert "Only the first words of a long query were used." in page


def test_a_search_too_broad_for_the_time_limit_shows_the_note(client, corpus, monkeypatch):
    from pressroom.store.search import backends, service

    class Slow:
        def ranked(self, *args: Any) -> Any:
            raise backends.TooSlow

    monkeypatch.setattr(service, "backend", lambda: Slow())
    response = get(client, "/en/search/", q="quokka")
    assert response.status_code == 200
    assert hits(response) == []
    assert "This search is too broad to finish in time" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?q=", "?q=+++", "?q=&section=news&lang=ru", "?sort=date"])
def test_an_empty_query_shows_the_form(client, corpus, query):
    response = client.get("/en/search/" + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<input type="search" id="search-q" name="q"' in page
    assert 'class="search-results"' not in page and "notice--error" not in page


# -- bad parameters, hostile queries ------------------------------------------------------------

INVALID = [
    ({"section": "nope"}, "section", "There is no section “nope”."),
    ({"section": "news\x00"}, "section", "There is no section"),
    ({"publisher": "nobody"}, "publisher", "There is no publisher “nobody”."),
    ({"publisher": "'; DROP TABLE x; --"}, "publisher", "There is no publisher"),
    ({"kind": "ruler"}, "kind", "“ruler” is not a kind of publisher."),
    ({"lang": "de"}, "lang", "“de” is not a language of the articles"),
    ({"lang": "e\x00n"}, "lang", "“e n” is not a language of the articles"),
    ({"from": "2025-13-01"}, "from", "“2025-13-01” is not a date"),
    ({"from": "yesterday"}, "from", "“yesterday” is not a date"),
    ({"to": "2025-02-30"}, "to", "is not a date"),
    ({"to": "20250201"}, "to", "is not a date"),
    ({"from": "2025-06-02", "to": "2025-06-01"}, "to", "The end date is before the start date."),
    ({"sort": "best"}, "sort", "Results can be sorted by relevance or by date."),
    ({"page": "0"}, "page", "“0” is not a page number."),
    ({"page": "-1"}, "page", "“-1” is not a page number."),
    ({"page": "abc"}, "page", "is not a page number"),
    ({"page": "1e3"}, "page", "is not a page number"),
    ({"page": "٣"}, "page", "is not a page number"),  # a digit, but not an ASCII one
    ({"page": "51"}, "page", "Only the first 50 pages of results are shown"),
    ({"page": "9" * 5000}, "page", "Only the first 50 pages of results are shown"),
]


@pytest.mark.parametrize(("params", "field", "message"), INVALID)
def test_bad_parameters_get_a_message_and_400(client, corpus, params, field, message):
    response = get(client, "/en/search/", q="quokka", **params)
    page = response.content.decode()
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "This search cannot be run:" in page and 'role="alert"' in page
    assert message in unescape(page)
    assert 'class="search-results"' not in page
    if field != "page":
        assert f'aria-describedby="search-{field}-error"' in page or (
            f"search-{field}-error" in page
        )
        assert page.count('aria-invalid="true"') == 1
    assert "\x00" not in page
    assert response.get("X-Page-Cache") is None  # never stored


def test_leading_zeros_and_an_explicit_first_page_are_fine(client, corpus):
    assert get(client, "/en/search/", q="quokka", page="001").status_code == 200
    assert len(hits(get(client, "/en/search/", q="quokka", page="1"))) == 4


HOSTILE = [
    '"unbalanced',
    'quokka"',
    '"""',
    "quokka NEAR Ljubljana",
    "NEAR(quokka Ljubljana, 3)",
    "^quokka",
    "title:quokka",
    "body:quokka OR",
    "{title body}:quokka",
    "quokka AND NOT Ljubljana",
    "OR OR OR",
    "- * OR",
    "*",
    "quokka*:*",
    "'quokka' & !x | y <-> z",
    "quokka\x00\x1b\x7f",
    "\x00",
    "%s %% ?",
    "'; DROP TABLE search_document; --",
    "\\",
    "<script>alert(1)</script>",
    "x" * 10_000,
    " ".join(["quokka"] * 3000),
    "\u202equokka\u200b",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:30]))
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_hostile_queries_never_fail(client, corpus, text, sort):
    response = client.get("/en/search/", {"q": text, "sort": sort})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "\x00" not in page and "\x1b" not in page
    main = page.split('<main id="main"', 1)[1]
    assert "x" * 1001 not in main  # the page's own links carry at most MAX_QUERY_CHARS


def test_hostile_queries_still_find_their_words(client, corpus):
    assert len(hits(get(client, "/en/search/", q='title:quokka "unbalanced'))) == 0
    assert len(hits(get(client, "/en/search/", q="^quokka NEAR"))) == 0
    assert len(hits(get(client, "/en/search/", q="^quokka"))) == 4
    assert len(hits(get(client, "/en/search/", q="quokka\x00"))) == 4


def test_a_very_long_query_is_cut_with_a_note(client, corpus):
    response = get(client, "/en/search/", q="quokka " + "y" * 5000)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Only the first 1,000 characters of the query were used." in page
    value = re.search(r'id="search-q" name="q" value="([^"]*)"', page).group(1)
    assert len(value) == 1000


def test_raw_bytes_that_are_not_utf8_never_fail(client, corpus):
    for query in ("q=%FF%FE", "q=%ED%A0%80", "q=quokka&section=%FF", "q=%C0%AF&page=%FF"):
        assert client.get(f"/en/search/?{query}").status_code in (200, 400)


def test_titles_are_escaped_around_the_highlight(client, made):
    made(title="<b>Numbat</b> & <script>x()</script>", body="numbat <i>body</i>")
    page = get(client, "/en/search/", q="numbat").content.decode()
    assert "&lt;b&gt;<mark>Numbat</mark>&lt;/b&gt; &amp; &lt;script&gt;" in page
    assert "<script>x()" not in page and "<i>body" not in page


def test_hidden_articles_never_appear(client, corpus):
    Article.objects.filter(pk=corpus["en"].pk).update(hidden=True)
    found = hits(get(client, "/en/search/", q="quokka"))
    assert corpus["en"].title not in found and len(found) == 3


# -- the header box, the feed link, robots, the cache ----------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_page_has_the_header_search_box(client, demo, lang):
    article = Article.objects.visible().first()
    for path in ("", "news/", "section/news/", f"article/{article.pk}/", "publishers/",
                 "archive/", "no-such-page/"):  # fmt: skip
        page = client.get(f"/{lang}/{path}").content.decode()
        form = re.search(r'<form class="site-search" role="search" method="get" '
                         r'action="([^"]+)">(.*?)</form>', page, re.S)  # fmt: skip
        assert form, path
        assert form.group(1) == f"/{lang}/search/"
        assert '<label class="visually-hidden" for="site-search-q">' in form.group(2)
        assert '<input type="search" id="site-search-q" name="q"' in form.group(2)
        assert '<button type="submit">' in form.group(2)


def test_the_search_page_has_one_search_form(client, demo):
    page = get(client, "/en/search/", q="Shymkent").content.decode()
    assert page.count('role="search"') == 1
    assert page.count('name="q"') == 1


def test_subscribe_links_to_the_feed_of_the_same_search(client, corpus):
    response = get(client, "/kk/search/", q="quokka", lang="kk", sort="date", page="1")
    href = unescape(re.search(r'<a href="([^"]+)"[^>]*>[^<]*</a> <span class="hint">',
                              response.content.decode()).group(1))  # fmt: skip
    path, _, query = href.partition("?")
    assert path == "/kk/feeds/atom/search/"
    assert dict(parse_qsl(query)) == {"q": "quokka", "lang": "kk"}
    try:
        assert path == reverse("feeds:search", kwargs={"fmt": "atom"}).replace("/en/", "/kk/")
    except NoReverseMatch:
        return  # the feeds are not mounted in this tree yet
    feed = client.get(href)
    assert feed.status_code == 200
    assert corpus["kk"].title in feed.content.decode()


def test_result_pages_ask_not_to_be_indexed(client, corpus):
    response = get(client, "/en/search/", q="quokka")
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_result_pages_are_cached_until_the_content_changes(client, corpus, made):
    assert get(client, "/en/search/", q="quokka")["X-Page-Cache"] == "miss"
    assert get(client, "/en/search/", q="quokka")["X-Page-Cache"] == "hit"
    newer = made(title="Quokka again", body="quokka", published=dt.date(2026, 2, 5))
    bump_content_version()  # what every writer does after committing
    response = get(client, "/en/search/", q="quokka")
    assert response["X-Page-Cache"] == "miss"
    assert newer.title in hits(response)


def test_the_cache_takes_only_a_budget_of_search_pages(client, corpus, monkeypatch):
    monkeypatch.setattr(search_view, "CACHED_PER_HOUR", 3)
    for word in ("quokka", "one", "two"):
        get(client, "/en/search/", q=word)
        assert get(client, "/en/search/", q=word)["X-Page-Cache"] == "hit"
    for word in ("three", "four"):  # over budget: rendered every time
        get(client, "/en/search/", q=word)
        assert get(client, "/en/search/", q=word).get("X-Page-Cache") is None
    assert get(client, "/en/search/")["X-Page-Cache"] == "miss"
    assert get(client, "/en/search/")["X-Page-Cache"] == "hit"  # the bare form: always
    long = {"q": "quokka " + "z" * 400}
    get(client, "/en/search/", **long)
    assert get(client, "/en/search/", **long).get("X-Page-Cache") is None


def test_queries_per_page_stay_few(client, demo, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pressroom.store.search import Filters, search

    with django_assert_num_queries(3):  # sections, publishers (the form), the navigation
        assert client.get("/en/search/").status_code == 200
    with django_assert_num_queries(3):
        assert get(client, "/en/search/", q="Shymkent", section="nope").status_code == 400
    filters = {"section": "news", "publisher": "mfa", "kind": "embassy", "lang": "en"}
    with CaptureQueriesContext(connection) as engine:
        search("Europe", Filters(**filters), sort="date")
    # The form's 3 and the withdrawn marks of the hits, besides what search() asks itself.
    with django_assert_num_queries(len(engine) + 4):
        response = get(client, "/en/search/", q="Europe", sort="date", **filters)
        assert hits(response)


# -- in a browser ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_browser_header_search_highlights_and_passes_axe(live_demo, browser_visit):
    from tests.web.test_browser import axe_violations

    problems = {}
    for lang in ("en", "ru"):
        v = browser_visit()
        page = v.page
        v.go(f"/{lang}/section/news/")
        box = page.get_by_role("search").get_by_role("searchbox")
        box.fill("Shymkent housing")
        box.press("Enter")
        page.wait_for_url(re.compile(rf"/{lang}/search/\?q=Shymkent\+housing$"))
        first = page.locator(".item__title").first
        assert first.inner_text() == REFERENCE_TITLES[4]
        assert first.locator("mark").all_inner_texts() == ["housing", "Shymkent"]
        assert page.locator(".item__lead mark").count() >= 2
        problems[lang] = axe_violations(page)
        page.select_option("#search-sort", "date")
        page.locator(".search-filters button[type=submit]").click()
        page.wait_for_url(re.compile(r"sort=date"))
        assert page.locator(".item__title").count() >= 1
        v.go(f"/{lang}/search/?q=xylophonez&section=news")
        problems[f"{lang} no match"] = axe_violations(page)
        v.go(f"/{lang}/search/?q=Shymkent&from=2025-99-99")
        problems[f"{lang} bad date"] = axe_violations(page)
        assert v.errors == [] or all("status of 400" in e for e in v.errors)
    narrow = browser_visit(viewport={"width": 360, "height": 740})
    narrow.go("/en/search/?q=Shymkent")
    assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.fixture
def live_demo(transactional_db: None) -> None:
    """The demo content, stored before the browser starts (Playwright's event loop would
    give the ORM a connection of its own, left open at the end)."""
    from tests.web.conftest import DEMO, ingest

    ingest(DEMO)


@pytest.fixture
def browser_visit(live_server: Any) -> Any:
    """The browser tests' ``visit`` (Chromium, nothing but the live server reachable)."""
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, Visit

    opened: list[Visit] = []
    with pytest.MonkeyPatch.context() as env, sync_playwright() as p:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def open_(**options: Any) -> Visit:
            v = Visit(browser, live_server.url, **options)
            opened.append(v)
            return v

        yield open_
        for v in opened:
            v.close()
        browser.close()
