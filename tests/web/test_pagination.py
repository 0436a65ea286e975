"""Numbered pages of a snapshot: page N keeps its items while new stories arrive."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pressroom.web.cache import bump_content_version
from pressroom.web.pagination import PAGE_SIZE

pytestmark = pytest.mark.django_db


def titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(
        r'class="item__title" lang="\w\w"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def next_link(client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")


@pytest.fixture
def fifty(make_article):
    start = dt.date(2025, 1, 1)
    return [
        make_article(title=f"Old {i:02d}", published=start + dt.timedelta(days=i))
        for i in range(50)
    ]


@pytest.mark.parametrize(
    "base", ["/en/section/news/", "/en/news/", "/en/publishers/mfa-ljubljana/"]
)
def test_page_two_is_stable_while_stories_arrive(client, fifty, make_article, base):
    first = titles(client, base)
    assert first[0] == "Old 49" and len(first) == PAGE_SIZE
    page2_url = base + next_link(client, base)
    assert "page=2" in page2_url and "upto=" in page2_url
    page2 = titles(client, page2_url)
    assert page2 == [f"Old {i:02d}" for i in range(29, 9, -1)]

    # New stories arrive: newer than all, and (from an archive page) in the middle.
    make_article(title="Brand new", published=dt.date(2026, 1, 1))
    make_article(title="Late archive item", published=dt.date(2025, 1, 25))
    bump_content_version()  # as ingest does when it commits
    assert titles(client, page2_url) == page2  # the same snapshot shows the same items
    assert titles(client, base)[0] == "Brand new"  # page 1 shows the latest
    fresh2 = titles(client, base + next_link(client, base))
    assert fresh2 != page2  # a new snapshot includes both


def test_an_old_story_newly_seen_under_a_section_does_not_shift_its_pages(client, fifty):
    from pressroom.store.models import Article, Section

    base = "/en/section/world/"
    world, _ = Section.objects.get_or_create(slug="world", defaults={"name": "World"})
    for article in Article.objects.filter(title__lt="Old 45"):
        article.sections.add(world)
    page2_url = base + next_link(client, base)
    page2 = titles(client, page2_url)
    Article.objects.get(title="Old 46").sections.add(world)  # seen later under World
    bump_content_version()
    assert titles(client, page2_url) == page2
    assert titles(client, base)[0] == "Old 46"


def test_page_links_count_only_as_far_as_shown(client, fifty):
    page = client.get("/en/news/").content.decode()
    assert "Articles 1–20 of 50" in page
    assert 'aria-label="Page 3"' in page
    many = client.get("/en/news/?page=2").content.decode()
    assert "Articles 21–40 of 50" in many


def test_bad_page_numbers_are_not_found(client, fifty):
    for query in (
        "page=4",
        "page=0",
        "page=-1",
        "page=two",
        "page=1e3",
        "upto=x",
        "page=99999999999999",
    ):
        assert client.get(f"/en/news/?{query}").status_code == 404, query


def test_language_filter_keeps_its_pages(client, make_article):
    for i in range(25):
        make_article(
            title=f"Рус {i:02d}", lang="ru", published=dt.date(2025, 3, 1) + dt.timedelta(days=i)
        )
    make_article(title="English one")
    page = client.get("/en/news/?lang=ru").content.decode()
    assert "English one" not in page
    assert "Articles 1–20 of 25" in page
    assert re.search(r'rel="next" href="\?lang=ru&amp;page=2&amp;upto=\d+"', page)
