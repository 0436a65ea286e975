"""Write every stored article as JSON Lines or CSV, streaming, in id order."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from django.db.models import Count, Prefetch

from pressroom.store.models import Article, Section

FIELDS = [
    "id",
    "title",
    "body",
    "lang",
    "published",
    "sections",
    "publisher",
    "source_url",
    "source_id",
    "copies",
    "versions",
    "truncated",
    "hidden",
]


def article_rows(chunk_size: int = 1000) -> Iterator[dict[str, Any]]:
    """One dict per article; memory stays bounded by ``chunk_size``."""
    queryset = (
        Article.objects.order_by("id")
        .select_related("publisher")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("position", "name"))
        )
        .annotate(
            copies=Count("sightings", distinct=True), n_versions=Count("versions", distinct=True)
        )
    )
    for a in queryset.iterator(chunk_size=chunk_size):
        yield {
            "id": a.id,
            "title": a.title,
            "body": a.body,
            "lang": a.lang,
            "published": a.published.isoformat(),
            "sections": [s.name for s in a.sections.all()],
            "publisher": a.publisher.slug if a.publisher else None,
            "source_url": a.source_url,
            "source_id": a.source_id,
            "copies": a.copies,
            "versions": a.n_versions,
            "truncated": a.truncated,
            "hidden": a.hidden,
        }


def export_jsonl(out: TextIO) -> int:
    n = 0
    for row in article_rows():
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_csv(out: TextIO) -> int:
    """CSV for spreadsheets: sections joined by ``; ``, paragraphs kept as newlines in quotes."""
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in article_rows():
        writer.writerow({**row, "sections": "; ".join(row["sections"])})
        n += 1
    return n
