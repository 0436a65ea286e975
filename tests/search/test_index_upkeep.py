"""The index follows the articles: ingest adds, edits replace, deletes remove, reindex repairs."""

from __future__ import annotations

import json

import pytest

from pressroom.store.search import reindex, search
from tests.listing_text import Item, page
from tests.search.conftest import ingest

SOURCE = ("akorda", 4242, "en")


def _rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        return int(cursor.fetchone()[0])


def test_ingest_indexes_new_articles_and_edited_text(db):
    first = Item("Budget hearing held", ["The budget hearing discussed tariffs."], source=SOURCE)
    ingest(("one", page(("News", [first]))))
    assert [h.title for h in search("tariffs").hits] == ["Budget hearing held"]
    # The publisher edits its item (same source): the new text is what search finds.
    edited = Item("Budget hearing held", ["The budget hearing discussed pensions."], source=SOURCE)
    ingest(("two", page(("News", [edited]))))
    assert [h.title for h in search("pensions").hits] == ["Budget hearing held"]
    assert search("tariffs").total == 0
    assert _rows() == 1


def test_deleting_an_article_removes_it_from_the_index(demo):
    from pressroom.store.models import Article

    rows = _rows()
    assert rows == Article.objects.count()
    Article.objects.filter(title__startswith="Shymkent celebrated").delete()
    assert _rows() == rows - 1
    assert search("Maslenitsa").total == 0


def test_reindex_rebuilds_a_lost_index_and_drops_stale_rows(demo):
    from django.db import connection

    expected = [h.id for h in search("Shymkent", per_page=100).hits]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_document")
    empty = search("Shymkent")
    assert empty.total == 0
    assert empty.notes == ("The search index is empty: run 'pressroom reindex'.",)
    report = reindex(batch=7)
    assert report.written == report.articles == len(_all_ids())
    assert [h.id for h in search("Shymkent", per_page=100).hits] == expected
    # Nothing changed: nothing is written again.
    assert reindex().written == 0


def test_reindex_rewrites_changed_rows(demo):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_document SET body = 'zzz' WHERE article_id = %s", [_all_ids()[0]]
        )
    assert search("zzz").total == 1
    assert reindex().written == 1
    assert search("zzz").total == 0


def _all_ids() -> list[int]:
    from pressroom.store.models import Article

    return list(Article.objects.order_by("id").values_list("id", flat=True))


def test_cli_search_json_and_text(cli):
    from tests.search.conftest import DEMO

    assert cli("ingest", *map(str, DEMO)).code == 0
    result = cli("search", "Shymkent", "--json")
    assert result.code == 0, result.err
    hits = json.loads(result.out)
    assert len(hits) >= 5
    for hit in hits:
        assert {"id", "title", "published", "score"} <= hit.keys()
    result = cli("search", "housing", "Shymkent", "--sort", "date", "--lang", "en")
    assert result.code == 0
    assert "Socially vulnerable citizens provided with housing in Shymkent" in result.out
    assert "-- page 1 of 1" in result.out
    assert cli("search", "x", "--kind", "nope").code == 2
    with pytest.raises(SystemExit) as exit:
        cli("search", "x", "--from", "yesterday")
    assert exit.value.code == 2


def test_cli_reindex(cli):
    from tests.search.conftest import DEMO

    assert cli("ingest", str(DEMO[0])).code == 0
    result = cli("reindex")
    assert result.code == 0, result.err
    assert "0 rows written" in result.out
    result = cli("reindex", "--jobs", "2")
    assert result.code == 0, result.err
    assert "0 rows written" in result.out


def test_reindex_analyses_in_worker_processes_alike(demo):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, title, body, facets FROM search_document ORDER BY 1")
        before = cursor.fetchall()
        cursor.execute("UPDATE search_document SET body = 'zzz'")
    report = reindex(batch=5, jobs=2)
    assert report.written == report.articles == len(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, title, body, facets FROM search_document ORDER BY 1")
        assert cursor.fetchall() == before


def test_reindex_drops_rows_of_articles_that_are_gone(demo):
    import datetime as dt

    from pressroom.store.search.backends import backend
    from pressroom.store.search.document import index_row

    ghost = max(_all_ids()) + 1000
    backend().write([index_row(ghost, dt.date(2026, 2, 3), "en", "Ghost story", "Ghostly words.")])
    assert _rows() == len(_all_ids()) + 1
    report = reindex()
    assert report.removed == 1
    assert _rows() == len(_all_ids())
