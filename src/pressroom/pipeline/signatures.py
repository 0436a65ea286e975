"""Re-sign stored articles: their MinHash signatures and LSH band keys in the current format.

A new ``minhash.FORMAT_VERSION`` makes every stored signature and band key incomparable
with new ones: near copies of stored articles would no longer be found. A migration
therefore recomputes them from what the store keeps (migration 0007), with the same
text the pipeline hashes (``candidate.py``: title, then the paragraphs without image
lines). Band keys come from each article's text and from its earlier texts
(``Version``), as the writer added them; those of merged near copies, whose texts the
store keeps only as raw sightings, are not rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, models

from pressroom.parsing.html import text_only
from pressroom.pipeline import minhash
from pressroom.pipeline.candidate import text_signature
from pressroom.store.models import PARAGRAPH_SEPARATOR

CHUNK = 2000


def signature_of_text(title: str, body: str) -> minhash.Signature | None:
    """What ``candidate.py`` signs for an item with this title and body (None: no body)."""
    return text_signature(title, text_only([p for p in body.split(PARAGRAPH_SEPARATOR) if p]))


def re_sign_all(
    article: type[models.Model],
    version: type[models.Model],
    band_key: type[models.Model],
    using: str,
) -> int:
    """Recompute every article's signature and rebuild the band-key table; returns the
    number of articles. Works on historical models (migrations) and the real ones."""
    quote = connections[using].ops.quote_name
    articles_table = quote(article._meta.db_table)
    keys_table = quote(band_key._meta.db_table)
    done = 0
    last = 0
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {keys_table}")
        while True:
            rows = list(
                article._default_manager.using(using)
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "title", "body", "truncated")[:CHUNK]
            )
            if not rows:
                return done
            last = rows[-1][0]
            updates: list[tuple[bytes, int]] = []
            keys: set[tuple[int, int]] = set()
            for pk, title, body, truncated in rows:
                sig = signature_of_text(title, body)
                updates.append((minhash.signature_to_bytes(sig) if sig is not None else b"", pk))
                if sig is not None and not truncated:
                    keys.update(_keyed(sig, pk))
            complete = [pk for pk, _, _, truncated in rows if not truncated]
            earlier = version._default_manager.using(using).filter(article_id__in=complete)
            for pk, title, body in earlier.values_list("article_id", "title", "body"):
                if (sig := signature_of_text(title, body)) is not None:
                    keys.update(_keyed(sig, pk))
            cursor.executemany(f"UPDATE {articles_table} SET signature = %s WHERE id = %s", updates)
            insert = f"INSERT INTO {keys_table} ({quote('key')}, article_id) VALUES (%s, %s)"
            cursor.executemany(insert, sorted(keys))
            done += len(rows)


def _keyed(sig: minhash.Signature, pk: Any) -> Iterable[tuple[int, int]]:
    return ((key, pk) for key in minhash.band_keys(sig))
