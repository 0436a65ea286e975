"""Fixtures for the portal: the demo content, a clean page cache, articles made to order."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from tests.conftest import REPO

DEMO = sorted((REPO / "src" / "pressroom" / "demo" / "listing").glob("*.txt"))
REFERENCE_TITLES = [
    "Slovenia's global pharmaceutical leaders strengthen strategic partnership with Kazakhstan",
    "A Musical Bridge Between Astana and Ljubljana: Classical Music Evening Achieves "
    "Triumphant Success in Slovenia",
    "Kazakhstan Representative Participates in the Sessions of the Bureau of the European "
    "Steering Committee for Youth of the Council of Europe",
    "Support for the new Constitution was expressed at a meeting held at M. Auezov University",
    "Socially vulnerable citizens provided with housing in Shymkent",
]


@pytest.fixture(autouse=True)
def clean_page_cache(settings: Any) -> Iterator[None]:
    """Every test starts with an empty shared cache (pages, content version, throttling)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    cache.clear()
    yield
    cache.clear()


def ingest(paths: list[Path]) -> None:
    from pressroom.pipeline.ingest import Ingester

    ingester = Ingester(inputs="\n".join(map(str, paths)))
    for path in paths:
        with open(path, encoding="utf-8") as f:
            ingester.ingest_lines(f, str(path))
    ingester.finish()


@pytest.fixture
def demo(db: None) -> None:
    """The demo content shipped in the package: the reference page and 16 real pages."""
    ingest(DEMO)


_counter = itertools.count(1)


@pytest.fixture
def make_article(db: None) -> Callable[..., Any]:
    """Create a visible article (and its section and publisher) with sensible defaults."""
    from pressroom.store.models import Article, Publisher, Section

    def make(
        title: str | None = None,
        body: str = "First sentence here. Second sentence follows.",
        lang: str = "en",
        published: dt.date = dt.date(2026, 2, 3),
        section: str | None = "News",
        publisher: str | None = "mfa-ljubljana",
        **fields: Any,
    ) -> Article:
        n = next(_counter)
        pub = None
        if publisher:
            pub, _ = Publisher.objects.get_or_create(
                slug=publisher, defaults={"kind": Publisher.Kind.EMBASSY}
            )
        article = Article.objects.create(
            title=title or f"Story number {n}",
            body=body,
            lang=lang,
            published=published,
            publisher=pub,
            fingerprint=f"{n:032x}",
            title_key=f"{n:032x}",
            **fields,
        )
        if section:
            sec, _ = Section.objects.get_or_create(
                slug=section.lower(), defaults={"name": section, "position": 0}
            )
            article.sections.add(sec)
        return article

    return make
