"""Database queries per page: bounded, and the same however many articles there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pressroom.store.models import Version

pytestmark = pytest.mark.django_db

# page -> most queries it may make (documented in docs/portal.md)
BOUNDS = {
    "/en/": 4,  # sections, the newest of every section (one UNION), the articles, the navigation
    "/en/section/news/": 6,
    "/en/news/?page=3": 4,
    "/en/news/?lang=en": 4,
    "/en/publishers/": 3,
    "/en/publishers/mfa-ljubljana/": 6,
    "/en/archive/": 2,
    "/en/archive/2026/2/": 2,
    "/en/archive/2026/2/3/": 6,
    "ARTICLE": 10,
}
SECTIONS = ["News", "Society", "World", "Politics", "Economics", "Business", "Science",
            "Technology", "Culture", "Law", "Tourism"]  # fmt: skip


def fill(make_article, n: int, offset: int = 0) -> int:
    article = None
    for i in range(offset, offset + n):
        article = make_article(
            published=dt.date(2026, 2, 3) - dt.timedelta(days=i % 3),
            section=SECTIONS[i % len(SECTIONS)],
            lang=("en", "ru", "kk")[i % 3],
            source_key=f"govkz:mfa-ljubljana:{i // 3}:{('en', 'ru', 'kk')[i % 3]}",
        )
        if i % 5 == 0:
            Version.objects.create(article=article, title="old", body="old", fingerprint="f" * 32)
    assert article is not None
    return article.pk


def queries_per_page(client, article_id: int) -> dict[str, int]:
    counts = {}
    for url in BOUNDS:
        real = f"/en/article/{article_id}/" if url == "ARTICLE" else url
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(real).status_code == 200, real
        counts[url] = len(ctx.captured_queries)
    return counts


def test_queries_are_bounded_and_do_not_grow_with_the_data(client, make_article):
    middle = fill(make_article, 70)
    small = queries_per_page(client, middle)
    fill(make_article, 140, offset=70)
    large = queries_per_page(client, middle)
    # The article page looks for a neighbour on the same day first, then on other days
    # (one or two look-ups each way): the only count that depends on the data, by one or two.
    for url, bound in BOUNDS.items():
        assert small[url] <= bound and large[url] <= bound, (url, small[url], large[url])
    assert abs(large.pop("ARTICLE") - small.pop("ARTICLE")) <= 2
    assert large == small


@pytest.mark.parametrize("url", [u for u in BOUNDS if u != "ARTICLE"])
def test_each_page_within_its_bound(client, make_article, django_assert_max_num_queries, url):
    fill(make_article, 60)
    with django_assert_max_num_queries(BOUNDS[url]):
        client.get(url)


def test_article_page_within_its_bound(client, make_article, django_assert_max_num_queries):
    article_id = fill(make_article, 30)
    with django_assert_max_num_queries(BOUNDS["ARTICLE"]):
        client.get(f"/en/article/{article_id}/")


def test_a_cached_page_makes_no_query(client, make_article, django_assert_num_queries):
    fill(make_article, 30)
    client.get("/en/section/news/")
    with django_assert_num_queries(0):
        assert client.get("/en/section/news/")["X-Page-Cache"] == "hit"
