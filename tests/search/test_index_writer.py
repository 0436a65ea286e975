"""The backend writes the index in batches (migration 0006): what it writes is what the
triggers would have written, and nothing it does leaks to other writers."""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.store.search import Filters, reindex, search
from tests.listing_text import Item, page
from tests.search.conftest import ingest


def _check_index() -> None:
    """The engine's own check where it has one (FTS5 against its content table), and on
    both engines: a rebuild from the articles finds nothing to change."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
    assert reindex().written == 0


def _items(n: int, word: str, source_from: int = 0) -> list[Item]:
    """``n`` stories, newest first (as listing pages run), each with its own source id."""
    return [
        Item(
            f"Story {i} about {word}",
            [f"Paragraph of story {i} on the {word} programme, number {i}."],
            date=(dt.date(2026, 2, 20) - dt.timedelta(days=i)).strftime("%d.%m.%Y"),
            source=("akorda", 1000 + source_from + i, "en"),
        )
        for i in range(n)
    ]


def test_batches_of_stories_copies_and_edits_leave_a_consistent_index(db):
    stories = _items(30, "irrigation")
    ingest(("first", page(("News", stories))))
    _check_index()
    # The same stories seen again under another section, some of them edited by their
    # publisher, with new stories in between: each stored one is filed under Society too.
    edited = [
        Item(s.title, [s.body[0].replace("irrigation", "desalination")], s.date, s.source)
        if i % 5 == 0
        else s
        for i, s in enumerate(stories)
    ]
    ingest(("second", page(("Society", edited + _items(10, "orchards", source_from=100)))))
    _check_index()
    # The edited bodies say "desalination programme" now, their titles still "irrigation".
    assert search('"irrigation programme"').total == 24
    assert search("desalination", Filters(section="society")).total == 6
    assert search("desalination", Filters(section="news")).total == 6  # still filed there
    for section in ("news", "society"):  # every stored story, edited or not, in both
        assert search("irrigation", Filters(section=section)).total == 30
    assert search("orchards", Filters(section="news")).total == 0
    assert search("orchards", Filters(section="society")).total == 10


def test_raw_sql_still_reaches_the_index_after_the_backend_wrote(db):
    """The marker that sets the triggers aside lives only inside the backend's writes."""
    from django.db import connection

    from pressroom.store.models import Article

    ingest(("one", page(("News", _items(3, "irrigation")))))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_writer")
            assert cursor.fetchone()[0] == 0
    article = Article.objects.order_by("id").first()
    assert article is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_document SET body = body || ' zeppelin' WHERE article_id = %s",
            [article.pk],
        )
    assert [h.id for h in search("zeppelin").hits] == [article.pk]
    if connection.vendor == "sqlite":
        _fts_integrity()


def _fts_integrity() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")


def test_a_failed_write_takes_its_marker_with_it(db):
    """A write that fails half-way rolls back whole: no marker is left that would make
    the triggers skip later writes, and the index is as it was."""
    from django.db import IntegrityError, connection, transaction

    from pressroom.store.models import Article
    from pressroom.store.search.backends import backend
    from pressroom.store.search.document import index_row

    ingest(("one", page(("News", _items(3, "irrigation")))))
    article = Article.objects.order_by("id").first()
    assert article is not None
    day = article.published
    zeppelin = index_row(article.pk, day, "en", "Zeppelin", "Zeppelin words.")
    with pytest.raises(RuntimeError), transaction.atomic():
        backend().write([zeppelin])
        raise RuntimeError("the rest of the batch failed")
    if connection.vendor == "sqlite":
        # Fails inside the write: two rows for one article break its unique id.
        with pytest.raises(IntegrityError), transaction.atomic():
            backend().write([zeppelin, index_row(article.pk, day, "en", "Again", "Again.")])
    assert search("zeppelin").total == 0
    assert search("irrigation").total == 3
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_writer")
            assert cursor.fetchone()[0] == 0
    _check_index()
