"""A hidden article disappears everywhere; a withdrawn one stays, labelled.

Also: the section listing table follows every change by database triggers.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pressroom.store.models import Article, Section
from pressroom.web.models import SectionListing

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/en/news/",
    "/en/section/news/",
    "/en/publishers/mfa-ljubljana/",
    "/en/archive/2026/2/3/",
    "/ru/",
    "/kk/section/news/?lang=en",
]


def test_hidden_article_is_gone_from_every_page_and_count(client, make_article):
    keep = make_article(title="Kept story")
    gone = make_article(title="Hidden story", source_key="govkz:mfa-ljubljana:7:en")
    other = make_article(title="Its translation", lang="ru", source_key="govkz:mfa-ljubljana:7:ru")
    for url in PAGES:
        assert "Hidden story" in client.get(url).content.decode(), url
    gone.hidden = True
    gone.save()
    from django.core.cache import cache

    cache.clear()  # this test is about visibility; invalidation is tested elsewhere
    for url in PAGES:
        page = client.get(url).content.decode()
        assert "Hidden story" not in page, url
        assert "Kept story" in page, url
    assert client.get(f"/en/article/{gone.pk}/").status_code == 404
    neighbours = client.get(f"/en/article/{keep.pk}/").content.decode()
    assert f"/article/{gone.pk}/" not in neighbours
    translation = client.get(f"/en/article/{other.pk}/").content.decode()
    assert f"/article/{gone.pk}/" not in translation
    assert "2 articles" in client.get("/en/publishers/").content.decode()  # 3 minus the hidden
    assert "2 articles" in client.get("/en/archive/2026/2/").content.decode()


def test_withdrawn_article_stays_visible_and_labelled(client, make_article):
    article = make_article(title="Withdrawn story", withdrawn_at=timezone.now())
    listing = client.get("/en/section/news/").content.decode()
    assert "Withdrawn story" in listing
    assert '<span class="badge badge--withdrawn">withdrawn</span>' in listing
    page = client.get(f"/en/article/{article.pk}/").content.decode()
    assert "notice--withdrawn" in page
    ru = client.get(f"/ru/article/{article.pk}/").content.decode()
    assert "отозвано" in ru


def listing_of(article: Article) -> set[tuple[str, dt.date, str, bool]]:
    return {
        (row.section.slug, row.published, row.lang, row.hidden)
        for row in SectionListing.objects.filter(article=article).select_related("section")
    }


@pytest.mark.django_db(transaction=True)
def test_section_listing_follows_every_change(make_article):
    article = make_article(section="News")
    world = Section.objects.create(slug="world", name="World")
    day = dt.date(2026, 2, 3)
    assert listing_of(article) == {("news", day, "en", False)}
    article.sections.add(world)
    assert listing_of(article) == {("news", day, "en", False), ("world", day, "en", False)}
    Article.objects.filter(pk=article.pk).update(hidden=True)  # a bulk update, no signals
    assert {row[3] for row in listing_of(article)} == {True}
    article.refresh_from_db()
    article.hidden = False
    article.published = dt.date(2026, 3, 1)
    article.save()
    assert listing_of(article) == {
        ("news", dt.date(2026, 3, 1), "en", False),
        ("world", dt.date(2026, 3, 1), "en", False),
    }
    article.sections.remove(world)
    assert listing_of(article) == {("news", dt.date(2026, 3, 1), "en", False)}
    article.sections.set([world])
    assert listing_of(article) == {("world", dt.date(2026, 3, 1), "en", False)}
    link = Article.sections.through.objects.get(article=article)
    news = Section.objects.get(slug="news")
    Article.sections.through.objects.filter(pk=link.pk).update(section=news)
    assert listing_of(article) == {("news", dt.date(2026, 3, 1), "en", False)}
    article.delete()
    assert not SectionListing.objects.exists()


def test_visible_rule_is_the_one_queryset_method():
    from pressroom.store.querysets import visible_q

    sql = str(Article.objects.visible().query)
    assert '"hidden"' in sql
    assert visible_q().children == [("hidden", False)]
