"""The two engines behind one interface: SQLite FTS5 and PostgreSQL full-text search.

Each backend does three things: spell a ``Plan`` in its engine's query syntax,
run the search SQL (match, filters, ranking, order, page) and write index rows.
Every term is quoted, so nothing a reader types reaches the engine's own
syntax. Filters arrive as SQL on the article table ``a``, the same for both.

Ranking: SQLite's ``bm25`` and PostgreSQL's ``ts_rank``, both weighting a title
hit ``TITLE_WEIGHT`` times a body hit and a name-key hit ``KEY_WEIGHT`` times,
then multiplied by the recency boost ``1 + RECENCY / (1 + age_days / HALF_LIFE)``
(the age comes from the docid, so scoring reads no article column). Relevance
ranks the newest ``RANK_WINDOW`` hits; ``time_limit`` stops a search the engine
cannot finish in time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields, replace
from typing import Any, ClassVar

from django.db import OperationalError, connection, transaction

from pressroom.store.search.document import ID_BITS, ID_MASK, IndexRow
from pressroom.store.search.plan import Group, Lookup, Plan

COLUMNS = tuple(f.name for f in fields(IndexRow))
FTS_COLUMNS = ("title", "body", "latin_names", "cyrillic_names", "facets")  # search_fts's
ID_CHUNK = 1_000  # article ids per IN (...) list
TITLE_WEIGHT = 4.0
KEY_WEIGHT = 0.5
RECENCY = 0.3
HALF_LIFE_DAYS = 180.0
# Relevance ranks the newest this many hits (see Backend.ranked); one more than
# service.COUNT_CAP, so that a full window alone tells "more than COUNT_CAP hits".
RANK_WINDOW = 1_001
# PostgreSQL: how many of the newest candidates the exact query is tried on, in turn,
# before the whole query (see PostgreSQLBackend.ranked).
CANDIDATE_STEPS = (4 * RANK_WINDOW, 40 * RANK_WINDOW)
BUILD_CACHE_KIB = -262_144  # SQLite page cache while filling an index (negative: KiB)
RANK_NORMALIZATION = 1  # ts_rank: divide by 1 + log(document length), like bm25's length term


# A filter of more publishers than this (a kind, a large tree) is checked on the article
# table instead: FTS5 walks one doclist per alternative.
MAX_FACET_TOKENS = 64


@dataclass(frozen=True)
class Facet:
    """A filter the index also holds as tokens (``document.facets_of``): any of ``tokens``
    in the facets column (or, ``exclude``, none of them), or the same condition in SQL on
    the article table ``a``."""

    tokens: tuple[str, ...]
    sql: str
    params: tuple[Any, ...] = ()
    exclude: bool = False  # the condition holds where none of the tokens is
    broad: bool = False  # held by most articles (a language): see SQLiteBackend.ranked


@dataclass(frozen=True)
class Where:
    """Conditions on the article table ``a`` and the docid range, with their parameters:
    ``sql`` is checked on the article, ``facets`` by the engine where it can."""

    sql: tuple[str, ...] = ()
    params: tuple[Any, ...] = ()
    first_docid: int | None = None
    last_docid: int | None = None
    facets: tuple[Facet, ...] = ()
    among: tuple[int, ...] | None = None  # only these docids (PostgreSQL's candidates)

    def on_articles(self, facets: Sequence[Facet]) -> tuple[list[str], list[Any]]:
        """The conditions and parameters on the article table, these facets included."""
        conditions = [*self.sql, *(f.sql for f in facets)]
        params = [*self.params, *(p for f in facets for p in f.params)]
        return conditions, params

    def with_docids(
        self, match: str, query: str, docid: str, facets: Sequence[Facet] | None = None
    ) -> tuple[list[str], list[Any]]:
        """The match condition, the filters (``facets``: those checked on the article
        table; by default all) and the date range as a docid range."""
        sql, sql_params = self.on_articles(self.facets if facets is None else facets)
        conditions = [match, *sql]
        params: list[Any] = [query, *sql_params]
        for bound, op in ((self.first_docid, ">="), (self.last_docid, "<=")):
            if bound is not None:
                conditions.append(f"{docid} {op} %s")
                params.append(bound)
        if self.among is not None:
            conditions.append(f"{docid} = ANY(%s)")
            params.append(list(self.among))
        return conditions, params


class Backend:
    """What both engines share; subclasses spell the match and the ranking."""

    vendor: ClassVar[str]

    # -- queries ----------------------------------------------------------------------------

    def compile(self, plan: Plan) -> tuple[str | None, str | None]:
        """(what must match, what must not), in the engine's syntax; None when absent."""
        must = self._all(plan.must) if plan.must else None
        must_not = self._any(plan.must_not) if plan.must_not else None
        return must, must_not

    def ranked(
        self, plan: Plan, where: Where, by_date: bool, today: int, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int | None]:
        """(article id, score) of one page of hits, best first (or newest first), and the
        number of hits when that came for free (at most ``RANK_WINDOW``), else None."""
        must, must_not = self.compile(plan)
        if must is None:
            return self._excluding(must_not, where, limit, offset), None
        sql, params = self._match_sql(plan, must, must_not, where, today)
        if by_date:
            sql = f"{sql} ORDER BY docid DESC LIMIT %s OFFSET %s"
        else:
            # Score the newest RANK_WINDOW hits only: the engine walks its index in docid
            # (date) order and stops there, so a word in half the archive costs no more
            # than a rare one. Fewer hits than that: every hit is scored, and their number
            # is the total.
            sql = (
                f"SELECT id, score, count(*) OVER () FROM ({sql} ORDER BY docid DESC "
                f"LIMIT {RANK_WINDOW}) w ORDER BY score DESC, docid DESC LIMIT %s OFFSET %s"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            rows = cursor.fetchall()
        hits = [(int(row[0]), float(row[1])) for row in rows]
        if by_date or (not rows and offset):
            return hits, None
        return hits, int(rows[0][2]) if rows else 0

    def count(self, plan: Plan, where: Where, cap: int) -> int:
        """How many hits, counting at most ``cap + 1``."""
        must, must_not = self.compile(plan)
        if must is None:
            sql, params = self._excluding_sql(must_not, where)
        else:
            sql, params = self._match_sql(plan, must, must_not, where, today=None)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s) t", [*params, cap + 1])
            return int(cursor.fetchone()[0])

    def _excluding(
        self, must_not: str | None, where: Where, limit: int, offset: int
    ) -> list[tuple[int, float]]:
        sql, params = self._excluding_sql(must_not, where)
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql} ORDER BY a.published DESC, a.id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [(int(i), 0.0) for i, _ in cursor.fetchall()]

    def _excluding_sql(self, must_not: str | None, where: Where) -> tuple[str, list[Any]]:
        """Only exclusions: every article in the filters except those that match."""
        conditions, params = where.on_articles(where.facets)
        if where.first_docid is not None:
            conditions.append("a.published >= %s")
            params.append(_date_of(where.first_docid))
        if where.last_docid is not None:
            conditions.append("a.published <= %s")
            params.append(_date_of(where.last_docid))
        if must_not is not None:
            conditions.append(self._not_matching_sql())
            params.append(must_not)
        sql = f"SELECT a.id, 0 AS score FROM {_article_table()} a"
        return (sql + (" WHERE " + " AND ".join(conditions) if conditions else "")), params

    def _all(self, groups: Sequence[Group]) -> str:
        raise NotImplementedError

    def _any(self, groups: Sequence[Group]) -> str:
        raise NotImplementedError

    def _match_sql(
        self, plan: Plan, must: str, must_not: str | None, where: Where, today: int | None
    ) -> tuple[str, list[Any]]:
        """SELECT id, score, docid of the matching articles; without a day, SELECT id only."""
        raise NotImplementedError

    def _not_matching_sql(self) -> str:
        """A condition on article ``a``: it does not match the query given as parameter."""
        raise NotImplementedError

    # -- writing ----------------------------------------------------------------------------

    def write(self, rows: Iterable[IndexRow]) -> None:
        """Insert or replace the rows of these articles (both engines speak this SQL), in
        docid order (see SQLiteBackend.write)."""
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_document ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
                "ON CONFLICT (article_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "article_id"),
                [astuple(r) for r in sorted(rows, key=_docid)],
            )

    def delete(self, article_ids: Sequence[int]) -> list[IndexRow]:
        """Remove the rows of these articles; returns what they held."""
        with connection.cursor() as cursor:
            return self._delete_rows(cursor, article_ids)

    def _delete_rows(self, cursor: Any, article_ids: Sequence[int]) -> list[IndexRow]:
        removed: list[IndexRow] = []
        for start in range(0, len(article_ids), ID_CHUNK):
            chunk = list(article_ids[start : start + ID_CHUNK])
            cursor.execute(
                "DELETE FROM search_document WHERE article_id IN "
                f"({', '.join(['%s'] * len(chunk))}) RETURNING {', '.join(COLUMNS)}",
                chunk,
            )
            removed += [IndexRow(*row) for row in cursor.fetchall()]
        return sorted(removed, key=_docid)

    def optimize(self) -> None:
        """Tidy the index after a large write."""

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Around many writes: whatever makes them faster."""
        yield

    @contextmanager
    def first_build(self) -> Iterator[None]:
        """Around filling an empty index: whatever makes one large load faster."""
        yield


PROGRESS_STEPS = 100_000  # SQLite instructions between two looks at the clock (~1 ms)


class TooSlow(Exception):
    """The engine was stopped at the time limit (see ``time_limit``)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the engine's queries inside after ``seconds``: a phrase of very common words on
    PostgreSQL reads every article holding them, and a search must not hold the database
    for seconds. SQLite: a progress handler; PostgreSQL: ``statement_timeout`` for this
    transaction, put back after."""
    deadline = time.monotonic() + seconds
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
        try:
            yield
        except OperationalError as exc:
            if time.monotonic() > deadline:
                raise TooSlow from exc
            raise
        finally:
            raw.set_progress_handler(None, 0)
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (previous,) = cursor.fetchone()
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", [f"{seconds * 1000:.0f}"]
            )
        try:
            with transaction.atomic():  # a savepoint: a cancelled query undoes only this
                yield
        except OperationalError as exc:
            if "statement timeout" in str(exc):
                raise TooSlow from exc
            raise
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])


def _recency_sql(docid: str) -> str:
    return (
        f"(1.0 + {RECENCY} / (1.0 + (CASE WHEN %s > ({docid} >> {ID_BITS}) "
        f"THEN %s - ({docid} >> {ID_BITS}) ELSE 0 END) / {HALF_LIFE_DAYS}))"
    )


def _article_table() -> str:
    from pressroom.store.models import Article

    return connection.ops.quote_name(Article._meta.db_table)


def _date_of(doc: int) -> Any:
    from datetime import date

    return date.fromordinal(doc >> ID_BITS)


class SQLiteBackend(Backend):
    """FTS5 over the analysed text; ``search_fts.rowid`` is the docid."""

    vendor = "sqlite"

    def _quote(self, token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def _lookup(self, lookup: Lookup) -> str:
        if lookup.key:
            names = "cyrillic_names" if lookup.cyrillic else "latin_names"
            return f"{names} : {self._quote(lookup.key)} *"
        phrase = self._quote(" ".join(lookup.stems))
        return f"{{title body}} : {phrase}{' *' if lookup.prefix else ''}"

    def _group(self, group: Group) -> str:
        return "(" + " OR ".join(self._lookup(lookup) for lookup in group) + ")"

    def _all(self, groups: Sequence[Group]) -> str:
        return " AND ".join(self._group(g) for g in groups)

    def _any(self, groups: Sequence[Group]) -> str:
        return " OR ".join(self._group(g) for g in groups)

    def ranked(
        self, plan: Plan, where: Where, by_date: bool, today: int, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int | None]:
        """bm25 reads the whole doclist of every phrase in the match once per query, for
        its inverse document frequency, filter tokens included (weight 0 or not): the
        language token, held by most articles, cost 30 ms at a million. So with such a
        filter, the window (the newest ``RANK_WINDOW`` matches) is found by the whole
        match, ids only, and then scored by a match without the broad tokens over the
        window's docid range, keeping the window's rows. The scores are the same (the
        filter column weighs 0 in bm25); only the cost differs."""
        must, must_not = self.compile(plan)
        broad = [f for f in where.facets if f.broad and self._in_index(f)]
        if (
            by_date
            or must is None
            or not broad
            or where.sql
            or not all(self._in_index(f) for f in where.facets)
        ):
            return super().ranked(plan, where, by_date, today, limit, offset)
        match = self._match(must, must_not, where.facets)
        conditions, params = where.with_docids("search_fts MATCH %s", match, "search_fts.rowid", [])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_fts.rowid FROM search_fts WHERE {' AND '.join(conditions)} "
                f"ORDER BY search_fts.rowid DESC LIMIT {RANK_WINDOW}",
                params,
            )
            window = {int(row[0]) for row in cursor.fetchall()}
        if not window:
            return [], None if offset else 0
        narrower = replace(
            where,
            facets=tuple(f for f in where.facets if f not in broad),
            first_docid=min(window),
            last_docid=max(window),
        )
        sql, params = self._match_sql(plan, must, must_not, narrower, today)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            scored = [(int(i), float(score), int(doc)) for i, score, doc in cursor.fetchall()]
        kept = sorted((r for r in scored if r[2] in window), key=lambda r: (-r[1], -r[2]))
        return [(i, score) for i, score, _ in kept[offset : offset + limit]], len(window)

    def _in_index(self, facet: Facet) -> bool:
        return 0 < len(facet.tokens) <= MAX_FACET_TOKENS

    def _match(self, must: str, must_not: str | None, facets: Sequence[Facet]) -> str:
        """The FTS5 match: the words, the filters held as tokens, what must not match."""
        in_index = [f for f in facets if self._in_index(f)]
        match = " AND ".join([f"({must})", *(self._facet(f) for f in in_index if not f.exclude)])
        left_out = [self._facet(f) for f in in_index if f.exclude]
        if must_not:
            left_out.append(f"({must_not})")
        if left_out:
            match = f"({match}) NOT ({' OR '.join(left_out)})"
        return match

    def _facet(self, facet: Facet) -> str:
        return "facets : (" + " OR ".join(self._quote(t) for t in facet.tokens) + ")"

    def _match_sql(
        self, plan: Plan, must: str, must_not: str | None, where: Where, today: int | None
    ) -> tuple[str, list[Any]]:
        # Filters held as tokens join the match, so FTS5 intersects their doclists with the
        # words' in C; when all of them are, the article table is not read at all.
        on_articles = [f for f in where.facets if not self._in_index(f)]
        match = self._match(must, must_not, where.facets)
        conditions, params = where.with_docids(
            "search_fts MATCH %s", match, "search_fts.rowid", on_articles
        )
        article_id = f"(search_fts.rowid & {ID_MASK})"
        columns = f"{article_id} AS id"
        if today is not None:
            bm25 = f"bm25(search_fts, {TITLE_WEIGHT}, 1.0, {KEY_WEIGHT}, {KEY_WEIGHT}, 0.0)"
            score = f"-{bm25} * {_recency_sql('search_fts.rowid')}"
            columns = f"{columns}, {score} AS score, search_fts.rowid AS docid"
            params = [today, today, *params]
        join = ""
        if where.sql or on_articles:
            join = f" JOIN {_article_table()} a ON a.id = {article_id}"
        sql = f"SELECT {columns} FROM search_fts{join} WHERE {' AND '.join(conditions)}"
        return sql, params

    def _not_matching_sql(self) -> str:
        # SQLite turns NOT IN (subquery) into one ephemeral index of the matches.
        return f"a.id NOT IN (SELECT rowid & {ID_MASK} FROM search_fts WHERE search_fts MATCH %s)"

    def write(self, rows: Iterable[IndexRow]) -> None:
        """Replace the rows of these articles and their FTS5 rows, all in docid order and
        one ``executemany`` each. FTS5 writes its pending terms out as a new segment at
        each statement savepoint and whenever a rowid is lower than the one before, so
        rows written through the triggers (a savepoint per row) or out of order (listing
        pages run newest first) made a segment per row, and merging those was most of
        the cost (migration 0006)."""
        rows = sorted(rows, key=_docid)
        if not rows:
            return
        with self._own_writes() as cursor:
            self._delete_rows(cursor, [r.article_id for r in rows])
            cursor.executemany(
                f"INSERT INTO search_document ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(COLUMNS))})",
                [astuple(r) for r in rows],
            )
            cursor.executemany(
                f"INSERT INTO search_fts(rowid, {', '.join(FTS_COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * (1 + len(FTS_COLUMNS)))})",
                [_fts_values(r) for r in rows],
            )

    def delete(self, article_ids: Sequence[int]) -> list[IndexRow]:
        with self._own_writes() as cursor:
            return self._delete_rows(cursor, article_ids)

    def _delete_rows(self, cursor: Any, article_ids: Sequence[int]) -> list[IndexRow]:
        """Delete the rows and, by their stored values, their FTS5 rows (the caller holds
        ``_own_writes``)."""
        removed = super()._delete_rows(cursor, article_ids)
        cursor.executemany(
            f"INSERT INTO search_fts(search_fts, rowid, {', '.join(FTS_COLUMNS)}) "
            f"VALUES ('delete', {', '.join(['%s'] * (1 + len(FTS_COLUMNS)))})",
            [_fts_values(r) for r in removed],
        )
        return removed

    @contextmanager
    def _own_writes(self) -> Iterator[Any]:
        """A cursor in a transaction in which the triggers on ``search_document`` stand
        aside: this writer keeps ``search_fts`` in step itself (migration 0006). Other
        connections never see the marker row; a failure rolls it back with the rest."""
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_writer (active) VALUES (1)")
            try:
                yield cursor
            finally:
                cursor.execute("DELETE FROM search_writer")

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """FTS5 merges its segments as it goes: a large page cache makes that several times
        faster (17 s instead of 53 s for 20,000 articles), so lend it one for the writes."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (previous,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = {BUILD_CACHE_KIB}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")


class PostgreSQLBackend(Backend):
    """A generated ``tsvector`` (title A, body B, Latin names C, Cyrillic names D), GIN-indexed."""

    vendor = "postgresql"
    # ts_rank weights in the order D, C, B, A.
    WEIGHTS = (
        f"'{{{KEY_WEIGHT / TITLE_WEIGHT}, {KEY_WEIGHT / TITLE_WEIGHT}, {1 / TITLE_WEIGHT}, 1}}'"
        "::float4[]"
    )

    def _quote(self, token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    def ranked(
        self, plan: Plan, where: Where, by_date: bool, today: int, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int | None]:
        """GIN returns matches unordered and must recheck each one's ``tsvector`` for
        phrases and field weights, so a phrase of common words read every article holding
        both words (7.7 s at 100k). First the newest *candidates*: articles with all the
        words anywhere, a question GIN answers without reading a ``tsvector``; then the
        exact query among those only. If that fills the ranking window, or the candidates
        were all there are, the answer is the one the whole query would give; otherwise
        the next, larger step, and at last the whole query. Only for phrases without
        filters: measured at 100k, single words got slower this way (the newest
        candidates of a frequent word cost more to find than the recheck they save), and
        filters thin the exact hits out so that the steps mostly end in the whole query."""
        if (
            not by_date
            and offset + limit <= RANK_WINDOW
            and any(len(lookup.stems) > 1 for group in plan.must for lookup in group)
            and len(where.facets) <= 1  # only the visibility rule
            and not where.sql
        ):
            loose = self._all(plan.must, loose=True)
            for step in CANDIDATE_STEPS:
                candidates = self._candidates(loose, where, step)
                hits, in_window = super().ranked(
                    plan, replace(where, among=tuple(candidates)), by_date, today, limit, offset
                )
                if len(candidates) < step or (in_window is not None and in_window >= RANK_WINDOW):
                    return hits, in_window
        return super().ranked(plan, where, by_date, today, limit, offset)

    def _candidates(self, loose: str, where: Where, limit: int) -> list[int]:
        """The newest ``limit`` docids with every word of the query, in the date range."""
        conditions, params = Where(
            first_docid=where.first_docid, last_docid=where.last_docid
        ).with_docids("tsv @@ to_tsquery('simple', %s)", loose, "docid")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT docid FROM search_document WHERE {' AND '.join(conditions)} "
                "ORDER BY docid DESC LIMIT %s",
                [*params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def _lookup(self, lookup: Lookup, loose: bool = False) -> str:
        if loose:  # no field, no word order: GIN answers without a recheck
            *words, last = (self._quote(s) for s in (lookup.stems or (lookup.key,)))
            tail = ":*" if lookup.prefix or lookup.key else ""
            return "(" + " & ".join([*words, f"{last}{tail}"]) + ")"
        if lookup.key:
            return f"{self._quote(lookup.key)}:*{'D' if lookup.cyrillic else 'C'}"
        *words, last = (self._quote(s) for s in lookup.stems)
        last_suffix = ":*" if lookup.prefix else ":"
        if not words:
            return f"{last}{last_suffix}AB"
        # A phrase is in the title or in the body, never across the two.
        return " | ".join(
            "("
            + " <-> ".join([*(f"{w}:{field}" for w in words), f"{last}{last_suffix}{field}"])
            + ")"
            for field in "AB"
        )

    def _group(self, group: Group, loose: bool = False) -> str:
        return "(" + " | ".join(self._lookup(lookup, loose) for lookup in group) + ")"

    def _all(self, groups: Sequence[Group], loose: bool = False) -> str:
        return " & ".join(self._group(g, loose) for g in groups)

    def _any(self, groups: Sequence[Group]) -> str:
        return " | ".join(self._group(g) for g in groups)

    def _match_sql(
        self, plan: Plan, must: str, must_not: str | None, where: Where, today: int | None
    ) -> tuple[str, list[Any]]:
        match = f"({must}) & !({must_not})" if must_not else must
        # The query is a constant in WHERE, so the planner sees it and uses the GIN index.
        conditions, params = where.with_docids(
            "d.tsv @@ to_tsquery('simple', %s)", match, "d.docid"
        )
        columns = "a.id"
        if today is not None:
            # ts_rank of an AND query scores how close the words stand, not how often they
            # occur; ranking each clause on its own and adding up scores frequency, as
            # bm25 does, and keeps the two engines' orders close.
            groups = [self._group(g) for g in plan.must]
            rank = " + ".join(
                f"ts_rank({self.WEIGHTS}, d.tsv, to_tsquery('simple', %s), {RANK_NORMALIZATION})"
                for _ in groups
            )
            columns = f"a.id, ({rank}) * {_recency_sql('d.docid')} AS score, d.docid AS docid"
            params = [*groups, today, today, *params]
        sql = (
            f"SELECT {columns} "
            f"FROM search_document d JOIN {_article_table()} a ON a.id = d.article_id "
            f"WHERE {' AND '.join(conditions)}"
        )
        return sql, params

    def _not_matching_sql(self) -> str:
        # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a subquery larger than
        # work_mem as a nested loop, quadratic in the matches.
        return (
            "NOT EXISTS (SELECT 1 FROM search_document d WHERE d.article_id = a.id "
            "AND d.tsv @@ to_tsquery('simple', %s))"
        )

    @contextmanager
    def first_build(self) -> Iterator[None]:
        """Build the GIN index once after the load rather than row by row during it."""
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_document_tsv")
        try:
            yield
        finally:
            self._ensure_index()

    def _ensure_index(self) -> None:
        """Create the GIN index if it is missing (also after a first build that was killed
        before its end, which would otherwise leave every search reading the whole table)."""
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_document_tsv ON search_document "
                "USING gin (tsv) WITH (gin_pending_list_limit = 256)"
            )
            cursor.execute("RESET maintenance_work_mem")

    def optimize(self) -> None:
        """Merge GIN's pending list (searches read all of it) and refresh the planner's stats."""
        self._ensure_index()
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('search_document_tsv'::regclass)")
            cursor.execute("ANALYZE search_document")


def _docid(row: IndexRow) -> int:
    return row.docid


def _fts_values(row: IndexRow) -> tuple[Any, ...]:
    return (row.docid, *(getattr(row, c) for c in FTS_COLUMNS))


def backend() -> Backend:
    """The backend of the default database."""
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    raise RuntimeError(f"search needs SQLite or PostgreSQL, not {connection.vendor}")
