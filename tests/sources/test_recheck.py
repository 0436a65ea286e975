"""Edits become versions, removals withdraw: re-checking stored articles' pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pressroom.parsing.html import text_only
from pressroom.sources.crawl import claim_sources, crawl
from pressroom.sources.fetch.client import FetchSession
from pressroom.sources.models import Recheck
from pressroom.sources.recheck import claim_rechecks, recheck
from pressroom.sources.registry import SourceSpec, add_source
from pressroom.sources.schedule import RECHECK_FIRST
from pressroom.store.models import Article, Version
from pressroom.web.cache import content_version
from tests.sources import govkz_site

pytestmark = pytest.mark.django_db(transaction=True)


def _crawl_site(server, per_feed=2):
    site = govkz_site.build(server, ["moa"], langs=("ru",), per_feed=per_feed)
    add_source(SourceSpec(url=site.entity_url("moa"), languages="ru"))
    crawl(claim_sources(due_only=False))
    return site


def _recheck_now():
    Recheck.objects.update(next_at=timezone.now())
    with FetchSession() as session:
        return recheck(claim_rechecks(), session)


def _article(story):
    return Article.objects.get(source_key=f"govkz:{story.slug}:{story.news_id}:{story.lang}")


def test_first_recheck_is_due_ten_minutes_after_and_waits_grow(server):
    _crawl_site(server, per_feed=1)
    row = Recheck.objects.get()
    assert row.interval == RECHECK_FIRST
    assert 590 <= (row.next_at - row.created_at).total_seconds() <= 610
    assert claim_rechecks() == []  # not due yet
    counts = _recheck_now()
    assert counts == {"unchanged": 1}
    row.refresh_from_db()
    assert row.interval == int(RECHECK_FIRST * 2.5) and row.checks == 1


def test_an_edit_on_the_page_becomes_a_new_version(server):
    site = _crawl_site(server)
    story, other = site.stories
    old_text = _article(story).body
    story.paragraphs[1] = "Министерство уточнило сроки: работы завершатся в марте 2026 года."
    site.publish()
    counts = _recheck_now()
    assert counts["edited"] == 1 and counts["unchanged"] == 1
    article = _article(story)
    assert list(text_only(article.paragraphs)) == story.paragraphs
    version = Version.objects.get(article=article)
    assert version.body == old_text
    assert not Version.objects.filter(article=_article(other)).exists()
    assert Article.objects.count() == 2


def test_whitespace_and_punctuation_changes_are_no_edit(server):
    site = _crawl_site(server, per_feed=1)
    story = site.stories[0]
    story.paragraphs = ["  " + p.replace(" ", "  ").replace(".", " .") for p in story.paragraphs]
    site.publish()
    server.routes[story.page_path()].body = server.routes[story.page_path()].body.replace(
        b"<p>", b"<p>\n   "
    )
    _recheck_now()
    assert Version.objects.count() == 0
    assert Article.objects.count() == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_page_that_is_gone_marks_the_article_withdrawn_and_keeps_it(server, status):
    site = _crawl_site(server, per_feed=1)
    story = site.stories[0]
    server.add(
        story.page_path(), b"gone", status=status, content_type="text/plain", validators=False
    )
    before = content_version()
    counts = _recheck_now()
    assert counts == {"withdrawn": 1}
    assert content_version() != before  # pages showing it go stale
    article = _article(story)
    assert article.withdrawn_at is not None
    assert article.title == story.title and article.body  # kept, text and all
    # the page comes back: the label goes
    site.publish()
    before = content_version()
    assert _recheck_now() == {"unchanged": 1}
    assert _article(story).withdrawn_at is None
    assert content_version() != before


def test_a_server_error_is_not_a_withdrawal(server):
    site = _crawl_site(server, per_feed=1)
    server.add(site.stories[0].page_path(), b"", status=500, validators=False)
    assert _recheck_now() == {"failed": 1}
    assert _article(site.stories[0]).withdrawn_at is None


def test_rechecks_stop_after_a_month(server):
    site = _crawl_site(server, per_feed=1)
    Article.objects.update(first_seen=timezone.now() - timezone.timedelta(days=31))
    _recheck_now()
    assert Recheck.objects.get().done
    assert claim_rechecks(due_only=False) == []
    assert site
