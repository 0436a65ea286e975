"""The query language: what each construct means, and that hostile input means only its words."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.store.search.query import MAX_TERMS, AnyOf, Query, Term, parse


def words(*ws: str) -> Term:
    return Term(tuple(ws))


def test_words_phrases_exclusions_or_prefix():
    q = parse('budget "new constitution" -sport tax OR levy minist*')
    assert q.must == (
        words("budget"),
        words("new", "constitution"),
        AnyOf((words("tax"), words("levy"))),
        Term(("minist",), prefix=True),
    )
    assert q.must_not == (words("sport"),)


def test_or_binds_tighter_than_and():
    q = parse("a b OR c d")
    assert q.must == (words("a"), AnyOf((words("b"), words("c"))), words("d"))


def test_or_chains():
    assert parse("a OR b OR c").must == (AnyOf((words("a"), words("b"), words("c"))),)


def test_typographic_quotes_make_phrases():
    for text in ("«зеленый коридор»", "“green corridor”", "„green corridor“"):
        (term,) = parse(text).must
        assert term.is_phrase


def test_joined_words_are_phrases_and_signs_separate_words():
    assert parse("COVID-19").must == (words("COVID", "19"),)
    assert parse("title:budget").must == (words("title"), words("budget"))
    assert parse("NEAR(tax levy)").must == (words("NEAR"), words("tax"), words("levy"))


def test_unbalanced_quote_runs_to_the_end():
    assert parse('tax "new constitution').must == (words("tax"), words("new", "constitution"))


def test_engine_operators_are_words():
    q = parse("a AND b NOT c ^d e:f {g} (h) i+j")
    flat = [w for t in q.terms() for w in t.words]
    assert flat == ["a", "AND", "b", "NOT", "c", "d", "e", "f", "g", "h", "i", "j"]
    assert not q.must_not


def test_lone_signs_mean_nothing():
    assert parse("-").is_empty
    assert parse("*").is_empty
    assert parse('"').is_empty
    assert parse('- * "" -- **').is_empty
    assert parse("tax - *").must == (words("tax"),)


def test_or_without_two_sides_is_the_word_or():
    assert parse("OR").must == (words("or"),)
    assert parse("tax OR").must == (words("tax"), words("or"))
    assert parse("OR tax").must == (words("or"), words("tax"))
    assert parse("tax or levy").must == (words("tax"), words("or"), words("levy"))


def test_short_prefixes_are_words():
    assert parse("ab*").must == (words("ab"),)
    assert parse("abc*").must == (Term(("abc",), prefix=True),)


def test_control_characters_are_spaces():
    assert parse("tax\x00levy\x1b\u2028x\u200b").must == (
        words("tax"),
        words("levy"),
        words("x"),
    )


def test_long_queries_keep_the_first_words():
    q = parse(" ".join(f"w{i}" for i in range(5000)))
    assert len(q.must) == MAX_TERMS and q.truncated
    q = parse("x" * 10_000)
    assert q.must == (words("x" * 10_000),)


def test_negated_phrase():
    assert parse('tax -"new constitution"').must_not == (words("new", "constitution"),)


def test_only_exclusions():
    q = parse("-sport -weather")
    assert not q.must and len(q.must_not) == 2


def _typed_words(q: Query) -> set[str]:
    return {w.casefold() for t in (*q.terms(), *q.must_not) for w in t.words}


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses(text):
    q = parse(text)
    # Every word the query keeps was typed (an OR becomes "or").
    typed = "".join(
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf"
    ).casefold()
    for word in _typed_words(q):
        assert word in typed or word == "or"


QUERY_PIECES = st.sampled_from(
    ['"', "-", "*", "OR", "AND", "NOT", "NEAR", "(", ")", "^", ":", "title:", "{", "}", "'", "+",
     "«", "»", "\x00", "\t", " ", "tax", "Шымкент", "Qazaqstan", "мектептерде", "ab*", "минист*",
     "COVID-19", "\\", "%", "_", "∗", "－"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(QUERY_PIECES, max_size=30).map("".join))
def test_operator_soup_parses(text):
    q = parse(text)
    assert len(q.terms()) + len(q.must_not) <= MAX_TERMS
