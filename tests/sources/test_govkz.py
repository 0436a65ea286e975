"""A gov.kz-shaped host: many publishers, three language feeds each, teasers and pages."""

from __future__ import annotations

import pytest

from pressroom.parsing.html import text_only
from pressroom.sources.crawl import claim_sources, crawl
from pressroom.sources.models import FetchState, Recheck, Source
from pressroom.sources.registry import SourceSpec, add_source
from pressroom.store.models import Article, Sighting
from tests.sources import govkz_site

pytestmark = pytest.mark.django_db(transaction=True)

SLUGS = ["mfa", "mfa-ljubljana", "almobl-zkh", "astana", "moa", "stat"]


def test_every_item_of_every_publisher_and_language_is_stored_once(server):
    site = govkz_site.build(server, SLUGS, per_feed=3)
    for slug in SLUGS:
        add_source(SourceSpec(url=site.entity_url(slug), sections="News"))
    report = crawl(claim_sources(due_only=False))
    assert report.failed == 0, report.errors
    assert Article.objects.count() == len(site.stories) == len(SLUGS) * 3 * 3
    for story in site.stories:
        article = Article.objects.get(source_key=f"govkz:{story.slug}:{story.news_id}:{story.lang}")
        assert article.title == story.title
        assert list(text_only(article.paragraphs)) == story.paragraphs  # the page, not the teaser
        assert article.lang == story.lang
        assert article.publisher.slug == story.slug
        assert article.published == story.published.date()
        assert [s.name for s in article.sections.all()] == ["News"]
        images = [p for p in article.paragraphs if p.startswith("![")]
        assert images == [f"![Photo {story.news_id}]({server.base}/uploads/{story.news_id}.jpg)"]
    # provenance: the sighting names the page it was read from
    assert Sighting.objects.filter(input_name__startswith=server.base).count() == len(site.stories)
    # never more than 2 requests at once on the one host
    assert server.max_in_flight <= 2
    embassy = Article.objects.filter(source_key__startswith="govkz:mfa-ljubljana:").first()
    assert embassy.publisher.kind == "embassy"
    assert embassy.publisher.parent.slug == "mfa"
    assert Recheck.objects.count() == len(site.stories)
    assert all(s.consecutive_failures == 0 and s.last_success_at for s in Source.objects.all())


def test_second_round_transfers_no_bodies_and_adds_nothing(server):
    site = govkz_site.build(server, SLUGS[:3], per_feed=2)
    for slug in SLUGS[:3]:
        add_source(SourceSpec(url=site.entity_url(slug)))
    crawl(claim_sources(due_only=False))
    before = (Article.objects.count(), Sighting.objects.count())
    first_hits = len(server.hits)
    report = crawl(claim_sources(due_only=False))
    second = server.hits[first_hits:]
    assert (Article.objects.count(), Sighting.objects.count()) == before
    assert report.outcomes["new"] == 0
    assert {h.status for h in second if "/rss/" in h.path} == {304}
    assert not [h for h in second if "/details/" in h.path]  # known pages are not fetched again
    assert report.body_bytes == 0


def test_new_item_in_a_feed_is_picked_up_and_only_its_page_fetched(server):
    site = govkz_site.build(server, ["moa"], langs=("ru",), per_feed=2)
    add_source(SourceSpec(url=site.entity_url("moa"), languages="ru"))
    crawl(claim_sources(due_only=False))
    extra = govkz_site.build(server, ["moa"], langs=("ru",), per_feed=1, seed=99).stories[0]
    extra.news_id = 5000
    site.stories.append(extra)
    site.publish()
    mark = len(server.hits)
    crawl(claim_sources(due_only=False))
    pages = [h.path for h in server.hits[mark:] if "/details/" in h.path]
    assert pages == [extra.page_path()]
    assert Article.objects.count() == 3
    assert FetchState.objects.filter(url__contains="/details/").count() == 3
