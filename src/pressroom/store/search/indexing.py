"""Keeping the search index in step with the articles.

The writer calls ``index_article`` when it creates an article or replaces its
text, in the same transaction, so a stored article is findable at once.
``reindex`` rebuilds everything (after a change to the analysis, or to repair):
it re-analyses every article, rewrites only the rows that changed and drops
rows whose article is gone, one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction

from pressroom.store.search.backends import COLUMNS, backend
from pressroom.store.search.document import IndexRow, index_row

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
    backend().write([_row_of(article)])


def index_articles(articles: Iterable[Article]) -> None:
    """Index many articles with one statement per call."""
    backend().write([_row_of(a) for a in articles])


def reindex(batch: int = BATCH, progress: Callable[[int], None] | None = None) -> ReindexReport:
    """Rebuild the index from the articles; safe to run while the site serves searches."""
    from pressroom.store.models import Article

    engine = backend()
    report = ReindexReport()
    with engine.bulk():
        with engine.first_build() if _index_is_empty() else nullcontext():
            for chunk in _article_batches(Article, batch):
                rows = [index_row(*values) for values in chunk]
                with transaction.atomic():
                    changed = _changed(rows)
                    engine.write(changed)
                report.articles += len(chunk)
                report.written += len(changed)
                if progress:
                    progress(len(chunk))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE article_id NOT IN "
                f"(SELECT id FROM {connection.ops.quote_name(Article._meta.db_table)})"
            )
            report.removed = max(cursor.rowcount, 0)
        if report.written or report.removed:
            engine.optimize()
    return report


def _article_batches(model: type[Article], size: int) -> Iterator[list[tuple[Any, ...]]]:
    """(id, published, lang, title, body) of every article, ``size`` at a time, by id."""
    last_id = 0
    fields = ("id", "published", "lang", "title", "body")
    while True:
        chunk = list(
            model.objects.filter(id__gt=last_id).order_by("id").values_list(*fields)[:size]
        )
        if not chunk:
            return
        last_id = chunk[-1][0]
        yield chunk


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


def _row_of(a: Article) -> IndexRow:
    return index_row(a.pk, a.published, a.lang, a.title, a.body)
