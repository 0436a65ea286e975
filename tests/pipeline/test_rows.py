"""The plain-SQL inserts of the ingest store exactly what Django's ``bulk_create`` stores."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from pressroom.pipeline import rows
from pressroom.store.models import Article, Publisher, Sighting

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 2, 3, 10, 30, 15, 123456, tzinfo=dt.UTC)


def _article(n: int, publisher: Publisher | None) -> Article:
    return Article(
        title=f"Title {n} «ß»",
        body="One.\n\nTwo ’quotes’.",
        lang="kk",
        published=dt.date(2026, 2, n),
        publisher=publisher,
        source_url=None if n % 2 else f"https://www.gov.kz/{n}",
        source_id=None if n % 2 else 10**12 + n,
        source_key=None if n % 2 else f"govkz:x:{n}:kk",
        fingerprint=f"{n:032x}",
        title_key=f"{n + 1:032x}",
        signature=bytes([1, n, 0, 255]),
        truncated=bool(n % 2),
        first_seen=WHEN,
        last_seen=WHEN + dt.timedelta(days=n),
        updated_at=WHEN,
    )


def _sighting(article: Article, n: int) -> Sighting:
    return Sighting(
        key=f"{n:032x}",
        article=article,  # assigned while the article is still unsaved
        input_name="page.txt",
        page_url=None,
        line=n,
        end_line=None,
        section_name="News",
        source_url=None,
        raw=f"raw text {n}\n",
        fingerprint=f"{n:032x}",
        match="new",
        truncated=False,
        seen_at=WHEN,
    )


def _stored(model: type[models.Model], exclude: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for row in model._default_manager.order_by("pk").values():
        for name in exclude:
            row.pop(name)
        out.append(row)
    return out


def _write(use_rows: bool) -> None:
    publisher = Publisher.objects.create(slug="mfa-ljubljana")
    articles = [_article(n, publisher if n % 3 else None) for n in range(1, 8)]
    if use_rows:
        rows.insert_returning_ids(Article, articles)
    else:
        Article.objects.bulk_create(articles)
    sightings = [_sighting(a, n) for n, a in enumerate(articles, start=1)]
    if use_rows:
        rows.insert(Sighting, sightings)
    else:
        Sighting.objects.bulk_create(sightings)


def _snapshot() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    articles = _stored(Article, ("id", "publisher_id"))
    by_id = {a.pk: a.fingerprint for a in Article.objects.all()}
    sightings = _stored(Sighting, ("id",))
    for s in sightings:
        s["article_id"] = by_id[s["article_id"]]  # compare by article, not by id
    return articles, sightings


def test_inserts_store_what_bulk_create_stores() -> None:
    _write(use_rows=False)
    expected = _snapshot()
    Sighting.objects.all().delete()
    Article.objects.all().delete()
    Publisher.objects.all().delete()
    _write(use_rows=True)
    assert _snapshot() == expected


def test_returned_ids_are_the_stored_rows() -> None:
    articles = [_article(n, None) for n in range(1, 9)]
    # More rows than one statement takes, so that ids come back from several statements.
    articles += [_article(1 + n % 27, None) for n in range(2 * rows._ROWS_PER_STATEMENT)]
    for n, a in enumerate(articles):
        a.source_key = None
        a.title = f"t{n}"
    rows.insert_returning_ids(Article, articles)
    assert all(not a._state.adding for a in articles)
    stored = dict(Article.objects.values_list("id", "title"))
    assert {a.pk: a.title for a in articles} == stored
    assert len(stored) == len(articles)


def test_plain_insert_keeps_the_order_and_leaves_ids_unset() -> None:
    article = _article(1, None)
    rows.insert_returning_ids(Article, [article])
    sightings = [_sighting(article, n) for n in range(5, 0, -1)]
    rows.insert(Sighting, sightings)
    assert all(s.pk is None for s in sightings)
    stored = list(Sighting.objects.order_by("id").values_list("key", flat=True))
    assert stored == [s.key for s in sightings]


def test_an_unsaved_related_object_is_refused() -> None:
    sighting = _sighting(_article(1, None), 1)  # its article was never saved
    with pytest.raises(Exception):  # noqa: B017 - NOT NULL: IntegrityError on both databases
        rows.insert(Sighting, [sighting])


def test_nothing_to_insert_runs_nothing(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        rows.insert(Sighting, [])
        rows.insert_returning_ids(Article, [])


def test_default_timestamps_are_stored_as_given() -> None:
    a = _article(2, None)
    a.first_seen = timezone.now()
    rows.insert_returning_ids(Article, [a])
    assert Article.objects.get(pk=a.pk).first_seen == a.first_seen
