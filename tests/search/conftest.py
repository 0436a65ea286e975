"""Fixtures for search tests: the demo content ingested, and a helper to add articles."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import REPO

DEMO = sorted((REPO / "src" / "pressroom" / "demo" / "listing").glob("*.txt"))


def ingest(*texts: tuple[str, str]) -> None:
    """Ingest listing texts (name, text) the way ``pressroom ingest`` does."""
    from pressroom.pipeline.ingest import Ingester

    ingester = Ingester(inputs="test")
    for name, text in texts:
        ingester.ingest_lines(text.splitlines(), name)
    ingester.finish()


@pytest.fixture
def demo(db: None) -> None:
    """The demo listing pages, ingested (the reference page and 16 archived pages)."""
    ingest(*((str(p), p.read_text(encoding="utf-8")) for p in DEMO))


@pytest.fixture
def add_article(db: None) -> Callable[..., Any]:
    """Store and index one article written here (for languages the demo lacks)."""
    from pressroom.store.models import Article
    from pressroom.store.search import index_article

    def add(title: str, body: str, lang: str, published: str = "2026-01-15", **kw: Any) -> Any:
        article = Article.objects.create(
            title=title,
            body=body,
            lang=lang,
            published=datetime.date.fromisoformat(published),
            fingerprint=f"fp{Article.objects.count()}",
            title_key="t",
            **kw,
        )
        index_article(article)
        return article

    return add
