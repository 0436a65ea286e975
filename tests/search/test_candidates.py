"""PostgreSQL's candidate steps for phrases change how a search is answered, never what."""

from __future__ import annotations

import pytest

from pressroom.store.search import Filters, search
from pressroom.store.search import backends as search_backends

QUERIES = ['"press service"', '"the city"', '"of the" Shymkent', '"new school" -sport', "Астана"]


@pytest.mark.parametrize("steps", [(1,), (2, 5), (3, 1_000)])
def test_candidate_steps_give_the_whole_querys_answer(demo, monkeypatch, steps):
    for query in QUERIES:
        for page in (1, 2):
            monkeypatch.setattr(search_backends, "CANDIDATE_STEPS", ())
            whole = search(query, per_page=3, page=page)
            monkeypatch.setattr(search_backends, "CANDIDATE_STEPS", steps)
            # A window of 4 hits: the steps fill it, or fall through to the whole query.
            monkeypatch.setattr(search_backends, "RANK_WINDOW", 4)
            stepped = search(query, per_page=3, page=page)
            monkeypatch.setattr(search_backends, "CANDIDATE_STEPS", ())
            windowed = search(query, per_page=3, page=page)
            monkeypatch.undo()
            assert [h.id for h in stepped.hits] == [h.id for h in windowed.hits], query
            assert stepped.total == windowed.total, query
            if whole.total < 4:  # the window holds every hit: the same as no window
                assert [h.id for h in stepped.hits] == [h.id for h in whole.hits], query


def test_filtered_phrases_skip_the_steps(demo, monkeypatch):
    calls = []
    monkeypatch.setattr(
        search_backends.PostgreSQLBackend,
        "_candidates",
        lambda self, *a: calls.append(a) or [],
    )
    search('"press service"', Filters(lang="en"))
    search("press service")
    assert calls == []
