"""The portal's pages on the real demo content: what a reader finds on each."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.test import Client
from django.utils.html import escape

from pressroom.store.models import Article, Publisher, Section, Version
from tests.web.conftest import REFERENCE_TITLES

pytestmark = pytest.mark.django_db


def html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def section_block(page: str, slug: str) -> str:
    start = page.index(f'aria-labelledby="section-{slug}"')
    return page[start : page.index("</section>", start)]


def test_root_redirects_to_a_language(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"
    assert client.get("/")["Location"] == "/en/"


def test_home_has_the_reference_stories_under_news_and_society_with_more(client, demo):
    page = html(client, "/en/")
    headings = re.findall(r'<h2 id="section-([^"]+)">', page)
    # Configured order: News, Society, World, Politics, Science, Technology, Culture, Law, ...
    assert headings[:2] == ["news", "society"]
    order = [s.slug for s in Section.objects.order_by("position", "name")]
    assert headings == [s for s in order if s in headings]
    for slug in ("news", "society"):
        block = section_block(page, slug)
        for title in REFERENCE_TITLES:
            assert escape(title) in block, (slug, title)
        assert f'href="/en/section/{slug}/"' in block
        assert ">More</a>" in block


def test_home_items_show_date_publisher_and_first_sentence(client, demo):
    block = section_block(html(client, "/en/"), "society")
    assert '<time datetime="2026-02-03">3 February 2026</time>' in block
    assert (
        '<a class="meta__publisher" href="/en/publishers/mfa-ljubljana/">mfa-ljubljana</a>' in block
    )
    # The first sentence only; a long one is cut at a word.
    assert (
        ">In Shymkent, work is being carried out in stages to provide housing for citizens "
        "in need.</p>" in block
    )
    assert "This time, 26 more families" not in block
    assert "the head of KRKA,…</p>" in block or "…</p>" in block
    assert "The Ambassador noted" not in block


def test_section_page_lists_newest_first_with_language_filter(client, demo):
    page = html(client, "/en/section/news/")
    assert "<h1>News</h1>" in page
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', page)
    news = Section.objects.get(slug="news").articles.count()
    assert dates == sorted(dates, reverse=True) and len(dates) == news == 9
    assert 'href="?lang=ru"' in page
    assert html(client, "/en/section/law/?lang=ru").count('class="item"') == 1
    assert html(client, "/en/section/law/?lang=kk").count('class="item"') == 0
    html(client, "/en/section/no-such-section/", 404)


def test_all_news_lists_every_visible_article(client, demo):
    page = html(client, "/en/news/")
    assert f"Articles 1–20 of {Article.objects.count()}" in page
    assert 'rel="next"' in page


def test_archive_by_month_and_day(client, demo):
    index = html(client, "/en/archive/")
    assert 'href="/en/archive/2026/2/"' in index and "February 2026" in index
    month = html(client, "/en/archive/2026/2/")
    assert 'href="/en/archive/2026/2/3/"' in month and "5 articles" in month
    day = html(client, "/en/archive/2026/2/3/")
    assert day.count('class="item"') == 5
    assert 'href="/en/archive/2026/2/4/"' in day  # the next day with articles
    html(client, "/en/archive/2026/2/30/", 404)
    html(client, "/en/archive/1999/1/", 404)


def test_publisher_directory_grouped_by_kind_and_publisher_page(client, demo):
    directory = html(client, "/en/publishers/")
    kinds = re.findall(r'<h2 id="kind-(\w+)">', directory)
    assert kinds == [k for k, _ in Publisher.Kind.choices if k in kinds]
    assert {"ministry", "embassy", "akimat", "department"} <= set(kinds)
    assert (
        'href="/en/publishers/mfa-ljubljana/">mfa-ljubljana</a> <span class="count">2 articles'
        in (directory)
    )
    page = html(client, "/en/publishers/mfa-ljubljana/")
    assert "Embassy or mission" in page
    assert 'href="/en/publishers/mfa/">mfa</a>' in page  # its parent
    assert page.count('class="item"') == 2
    parent = html(client, "/en/publishers/mfa/")
    assert 'href="/en/publishers/mfa-ljubljana/"' in parent  # its children
    html(client, "/en/publishers/nobody/", 404)


def test_article_page_has_everything_a_reader_needs(client, demo):
    article = Article.objects.get(source_id=1154138)
    page = html(client, f"/en/article/{article.pk}/")
    assert f'<h1 lang="en">{escape(article.title)}</h1>' in page
    assert '<time datetime="2026-02-03">3 February 2026</time>' in page
    assert 'href="/en/publishers/mfa-ljubljana/"' in page
    assert 'href="/en/section/news/">News</a>' in page and 'href="/en/section/society/">' in page
    body = page[page.index('class="story__body"') : page.index("</div>", page.index("story__body"))]
    assert body.count("<p>") >= 5  # glued sentences are shown as paragraphs
    assert (
        '<a class="source__link" href="https://www.gov.kz/memleket/entities/mfa-ljubljana/press/news/details/1154138?lang=kk"'
        in page
    )
    assert ">Source</a>" in page
    places = page[page.index('id="seen"') :]
    assert "reference.txt" in places and "section “News”" in places and "“Society”" in places
    assert 'rel="prev"' in page or 'rel="next"' in page
    html(client, "/en/article/999999/", 404)


def test_article_without_source_says_so(client, demo):
    article = Article.objects.filter(source_url__isnull=True).first()
    page = html(client, f"/en/article/{article.pk}/")
    assert "source__link" not in page
    assert "the listing gave no link to the original" in page
    assert "enbekshiqazaq.kz" in page  # where it was seen instead


def test_previous_and_next_follow_the_public_order(client, make_article):
    import datetime as dt

    a = make_article(published=dt.date(2026, 1, 1))
    b = make_article(published=dt.date(2026, 1, 2))
    c = make_article(published=dt.date(2026, 1, 2))
    d = make_article(published=dt.date(2026, 1, 3))
    page_b = html(client, f"/en/article/{b.pk}/")
    newer = page_b[page_b.index("story-nav__newer") :]
    assert f'href="/en/article/{c.pk}/"' in newer.split("</li>")[0]
    older = page_b[page_b.index("story-nav__older") :]
    assert f'href="/en/article/{a.pk}/"' in older.split("</li>")[0]
    page_d = html(client, f"/en/article/{d.pk}/")
    assert "story-nav__newer" not in page_d


def test_earlier_versions_show_a_word_diff(client, make_article):
    article = make_article(title="Budget approved", body="The budget of 5 billion was approved.")
    Version.objects.create(
        article=article,
        title="Budget approves",
        body="The budget of 4 billion was approved.",
        fingerprint="x" * 32,
    )
    page = html(client, f"/en/article/{article.pk}/")
    versions = page[page.index('id="versions"') :]
    assert "<del>4</del><ins>5</ins>" in versions
    assert "<del>approves</del><ins>approved</ins>" in versions


def test_translations_link_the_same_original_in_other_languages(client, make_article):
    en = make_article(title="Visit", source_key="govkz:mfa:1:en", lang="en")
    ru = make_article(title="Визит", source_key="govkz:mfa:1:ru", lang="ru")
    page = html(client, f"/en/article/{en.pk}/")
    assert f'<a href="/en/article/{ru.pk}/" lang="ru" hreflang="ru">Визит</a>' in page


def test_not_found_page_is_in_the_site_style(client, demo):
    page = html(client, "/ru/nowhere/", 404)
    assert '<html lang="ru">' in page
    assert "Страница не найдена" in page
    assert "/static/portal/site.css" in page


def test_server_error_page_is_in_the_site_style(demo):
    client = Client(raise_request_exception=False)
    with mock.patch("pressroom.web.views.home.load_articles", side_effect=RuntimeError("boom")):
        response = client.get("/kk/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "/static/portal/site.css" in page
    assert "boom" not in page and "Traceback" not in page
