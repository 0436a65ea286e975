"""Full-text search over articles, in three languages, on SQLite FTS5 or PostgreSQL.

``search()`` is the interface; ``index_article`` / ``reindex`` keep the index
current. How text is analysed, how queries are read and how the two engines
are used is in ``docs/search.md``.
"""

from pressroom.store.search.indexing import ReindexReport, index_article, index_articles, reindex
from pressroom.store.search.service import (
    Filters,
    Hit,
    SearchError,
    SearchResults,
    Sort,
    search,
)

__all__ = [
    "Filters",
    "Hit",
    "ReindexReport",
    "SearchError",
    "SearchResults",
    "Sort",
    "index_article",
    "index_articles",
    "reindex",
    "search",
]
