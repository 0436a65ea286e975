"""Serialise competing writers of articles.

Two ingests (or crawl workers) running at once must give the result of one after
the other. A writer decides a whole batch against one snapshot of the keys it
touches, so batches must not interleave: on PostgreSQL each batch takes one
transaction-scoped advisory lock before it reads anything; on SQLite the
``BEGIN IMMEDIATE`` write lock already serialises whole transactions. Fetching,
parsing and fingerprinting, the bulk of the work, still run in parallel.
"""

from __future__ import annotations

from django.db import connection

# An arbitrary constant that names "the article writers" among advisory locks.
WRITER_LOCK_ID = 0x7072_6573_7372_6F6D  # "pressrom"


def lock_writers() -> None:
    """Wait for other writers' batches to commit; held until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK_ID])
