"""Hostile and random queries run on the real engine without error and mean only their words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.store.search import Filters, search
from tests.search.test_query import QUERY_PIECES

HOSTILE = [
    '"unbalanced',
    'Shymkent"',
    '"""',
    "Shymkent NEAR Maslenitsa",
    "NEAR(Shymkent Maslenitsa, 3)",
    "^Shymkent",
    "title:Shymkent",
    "{title body}:Shymkent",
    "Shymkent AND NOT Maslenitsa",
    "Shymkent OR",
    "OR OR OR",
    "- * OR",
    "*",
    "-",
    "Shymkent*:*",
    "'Shymkent' & !Maslenitsa | x <-> y",
    "Shymkent\x00\x1b\x7f",
    "%s %% ?",
    "'; DROP TABLE search_document; --",
    "\\",
    "x" * 10_000,
    " ".join(["Shymkent"] * 3000),
    "Ⅻ ½ ﬁ ＫＡＺ",
    "\u202eShymkent\u200b",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_run(demo, text):
    for sort in ("relevance", "date"):
        result = search(text, sort=sort)
        assert result.total >= 0


@pytest.mark.parametrize(
    ("hostile", "plain"),
    [
        ("title:Shymkent", "title Shymkent"),
        ("^Shymkent", "Shymkent"),
        ('"Shymkent', "Shymkent"),
        ("Shymkent NEAR", "Shymkent near"),
        ("Shymkent\x00", "Shymkent"),
        ("Shymkent*:*", "Shymkent*"),
        ("(Shymkent)", "Shymkent"),
        ("- Shymkent *", "Shymkent"),
    ],
)
def test_hostile_queries_mean_their_words(demo, hostile, plain):
    assert [h.id for h in search(hostile).hits] == [h.id for h in search(plain).hits]


def test_engine_syntax_is_never_reached(demo):
    # In FTS5 "Shymkent NOT Maslenitsa" would exclude; here NOT is a word that must appear.
    assert search("Shymkent NOT Maslenitsa").total == search("Shymkent not Maslenitsa").total
    assert search("Shymkent NOT Maslenitsa").total <= search("Maslenitsa").total


FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text=st.text(max_size=200))
def test_random_text_runs_on_the_engine(demo, text):
    search(text)


@FUZZ
@given(
    text=st.lists(QUERY_PIECES, max_size=25).map(" ".join),
    sort=st.sampled_from(["relevance", "date"]),
    lang=st.sampled_from([None, "en", "ru", "kk"]),
)
def test_operator_soup_runs_on_the_engine(demo, text, sort, lang):
    search(text, Filters(lang=lang), sort=sort)


WORDISH = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Lo", "Nd", "Mn", "Mc", "Pd", "Po", "Zs"),
        blacklist_characters="\x00",
    ),
    min_size=1,
    max_size=60,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=WORDISH, lang=st.sampled_from(["en", "ru", "kk", "ta"]))
def test_every_indexed_word_is_found_as_itself(add_article, text, lang):
    """The engine splits the analysed text exactly as Python made it (FTS5's ascii tokenizer,
    PostgreSQL's simple parser): each stem looked up alone finds the article."""
    from pressroom.store.search.backends import Where, backend
    from pressroom.store.search.document import index_row
    from pressroom.store.search.plan import Lookup, Plan

    article = add_article(text, "", lang)
    row = index_row(article.pk, article.published, lang, text, "")
    engine = backend()
    for stem in set(row.title.split()):
        found, _ = engine.ranked(
            Plan(must=((Lookup((stem,)),),), must_not=()),
            Where(("a.id = %s",), (article.pk,)),
            by_date=True,
            today=0,
            limit=5,
            offset=0,
        )
        assert [i for i, _ in found] == [article.pk], stem
    article.delete()


def test_a_query_past_the_time_limit_is_stopped(db):
    from django.db import connection

    from pressroom.store.search.backends import TooSlow, time_limit

    slow = (
        "SELECT pg_sleep(2)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)"
        " SELECT count(*) FROM n"
    )
    with pytest.raises(TooSlow), time_limit(0.05), connection.cursor() as cursor:
        cursor.execute(slow)
    with connection.cursor() as cursor:  # the connection is still good, without the limit
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_a_search_stopped_at_the_time_limit_says_so(demo, monkeypatch):
    from contextlib import contextmanager

    from pressroom.store.search import backends

    @contextmanager
    def no_time(seconds):
        raise backends.TooSlow
        yield

    monkeypatch.setattr(backends, "time_limit", no_time)
    result = search('"the information"')
    assert result.total == 0 and result.hits == []
    assert result.notes == ("This search is too broad to finish in time: add a word or a filter.",)
