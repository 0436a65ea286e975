"""Keeping the search index in step with the articles.

The writer calls ``index_article`` when it creates an article or replaces its
text, in the same transaction, so a stored article is findable at once.
``reindex`` rebuilds everything (after a change to the analysis, or to repair):
it re-analyses every article, rewrites only the rows that changed and drops
rows whose article is gone, one transaction per batch.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from pressroom.store.search.backends import COLUMNS, backend
from pressroom.store.search.document import IndexRow, facets_of, index_row

if TYPE_CHECKING:
    from pressroom.store.models import Article

BATCH = 2_000


@dataclass
class ReindexReport:
    articles: int = 0
    written: int = 0  # rows new or changed
    removed: int = 0  # rows whose article no longer exists


def index_article(article: Article) -> None:
    """Index (or re-index) one article; the caller owns the transaction."""
    index_articles([article])


def index_articles(articles: Iterable[Article], restore: Iterable[IndexRow] = ()) -> None:
    """Index many articles with one statement per call, their sections read from the
    database (sections linked later update the row by trigger, migration 0004). Rows
    taken out by ``detach`` come back in the same write (``restore``), with the facets
    their articles have now."""
    articles = list(articles)
    restore = list(restore)
    sections = _sections_of([a.pk for a in articles] + [r.article_id for r in restore])
    rows = [_row_of(a, sections.get(a.pk, ())) for a in articles]
    backend().write(rows + _with_facets_now(restore, sections))


def detach(article_ids: Iterable[int]) -> list[IndexRow]:
    """Take these articles' rows out of the index for a moment (the caller owns the
    transaction), so that linking them to more sections does not rewrite each one by
    trigger; ``index_articles(..., restore=rows)`` puts them back, all in one write."""
    return backend().delete(sorted(set(article_ids)))


def _with_facets_now(rows: list[IndexRow], sections: dict[int, list[int]]) -> list[IndexRow]:
    """Detached rows with the facets their articles have now (text and docid are what
    they were: neither the article's text nor its date changed)."""
    from pressroom.store.models import Article

    if not rows:
        return []
    facets = {
        i: facets_of(lang, publisher_id, sections.get(i, ()), hidden)
        for i, lang, publisher_id, hidden in Article.objects.filter(
            pk__in=[r.article_id for r in rows]
        ).values_list("id", "lang", "publisher_id", "hidden")
    }
    return [replace(r, facets=facets[r.article_id]) for r in rows if r.article_id in facets]


def reindex(
    batch: int = BATCH, progress: Callable[[int], None] | None = None, jobs: int = 1
) -> ReindexReport:
    """Rebuild the index from the articles; safe to run while the site serves searches.
    ``jobs`` > 1 analyses the text in that many worker processes while this one reads
    and writes the database (analysis is about half the work, and pure Python)."""
    from pressroom.store.models import Article

    engine = backend()
    report = ReindexReport()
    with engine.bulk():
        with engine.first_build() if _index_is_empty() else nullcontext():
            for rows in _analysed(_prepared(_article_batches(Article, batch)), jobs):
                with transaction.atomic():
                    changed = _changed(rows)
                    engine.write(changed)
                report.articles += len(rows)
                report.written += len(changed)
                if progress:
                    progress(len(rows))
        with transaction.atomic(), connection.cursor() as cursor:
            # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a subquery larger than
            # work_mem as a nested loop (quadratic: hours at a million articles).
            cursor.execute(
                "DELETE FROM search_document WHERE NOT EXISTS (SELECT 1 FROM "
                f"{connection.ops.quote_name(Article._meta.db_table)} a "
                "WHERE a.id = search_document.article_id)"
            )
            report.removed = max(cursor.rowcount, 0)
        if report.written or report.removed:
            engine.optimize()
    return report


def _article_batches(model: type[Article], size: int) -> Iterator[list[tuple[Any, ...]]]:
    """(id, published, lang, title, body, publisher id, hidden) of every article, ``size``
    at a time, by id."""
    last_id = 0
    fields = ("id", "published", "lang", "title", "body", "publisher_id", "hidden")
    while True:
        chunk = list(
            model.objects.filter(id__gt=last_id).order_by("id").values_list(*fields)[:size]
        )
        if not chunk:
            return
        last_id = chunk[-1][0]
        yield chunk


Prepared = tuple[int, Any, str, str, str, str]  # index_row's arguments


def _prepared(chunks: Iterable[list[tuple[Any, ...]]]) -> Iterator[list[Prepared]]:
    """What analysis needs, the facets included (they come from the database)."""
    for chunk in chunks:
        sections = _sections_of([values[0] for values in chunk])
        yield [
            (i, published, lang, title, body, facets_of(lang, pub, sections.get(i, ()), hidden))
            for i, published, lang, title, body, pub, hidden in chunk
        ]


def _analyse(chunk: list[Prepared]) -> list[IndexRow]:
    return [index_row(*values) for values in chunk]


def _analysed(chunks: Iterator[list[Prepared]], jobs: int) -> Iterator[list[IndexRow]]:
    """The chunks analysed, in order: here, or in ``jobs`` worker processes with a few
    chunks in flight (never the whole archive in memory)."""
    if jobs <= 1:
        yield from (_analyse(chunk) for chunk in chunks)
        return
    # spawn, not fork: a forked child would share this process's database connection.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[Future[list[IndexRow]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_analyse, chunk))
            if len(pending) > jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _index_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM search_document LIMIT 1")
        return cursor.fetchone() is None


def _changed(rows: list[IndexRow]) -> list[IndexRow]:
    """The rows that differ from what the index holds."""
    if not rows:
        return rows
    marks = ", ".join(["%s"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(COLUMNS)} FROM search_document WHERE article_id IN ({marks})",
            [r.article_id for r in rows],
        )
        stored = {IndexRow(*r) for r in cursor.fetchall()}
    return [r for r in rows if r not in stored]


def _sections_of(article_ids: list[int]) -> dict[int, list[int]]:
    """Section ids by article, for the facets."""
    from pressroom.store.models import Article

    out: dict[int, list[int]] = {}
    links = Article.sections.through.objects.filter(article_id__in=article_ids)
    for article_id, section_id in links.values_list("article_id", "section_id"):
        out.setdefault(article_id, []).append(section_id)
    return out


def _row_of(a: Article, sections: Iterable[int]) -> IndexRow:
    return index_row(
        a.pk,
        a.published,
        a.lang,
        a.title,
        a.body,
        facets_of(a.lang, a.publisher_id, sections, a.hidden),
    )
