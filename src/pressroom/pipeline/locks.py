"""Serialise competing writers on the keys they both touch.

Two ingests running at once must give the result of one after the other. On
PostgreSQL each item takes transaction-scoped advisory locks on every key that
could make it match another item (source key, fingerprint, title key, LSH bands),
in sorted order so two writers never deadlock on one item. On SQLite the
``BEGIN IMMEDIATE`` write lock already serialises whole transactions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection

_LOCK_SQL = (
    "SELECT count(pg_advisory_xact_lock(k)) FROM "
    "(SELECT k FROM unnest(%s::bigint[]) AS k ORDER BY k OFFSET 0) AS ordered"
)


def lock_id(key: str | int) -> int:
    """A signed 64-bit id for any key, stable across processes."""
    if isinstance(key, int):
        return key
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_keys(keys: Iterable[str | int]) -> None:
    """Take the advisory locks for ``keys`` until the current transaction ends."""
    if connection.vendor != "postgresql":
        return
    ids = sorted({lock_id(k) for k in keys})
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_SQL, [ids])
