"""An article: its text as paragraphs, its source, where else it was seen, what changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pressroom.store.models import Article, Sighting, Version
from pressroom.web.cache import public_page
from pressroom.web.metadata import article_metadata
from pressroom.web.text import DiffPart, paragraphs, word_diff


@dataclass
class EarlierVersion:
    """An earlier text and how the next newer text differs from it."""

    version: Version
    title_diff: list[DiffPart]
    body_diff: list[DiffPart]


@public_page
def article(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Article.objects.visible()
    current = get_object_or_404(
        visible.select_related("publisher", "publisher__parent").defer("signature"), pk=pk
    )
    sightings = list(
        current.sightings.only(
            "id",
            "article_id",
            "input_name",
            "page_url",
            "section_name",
            "source_url",
            "match",
            "truncated",
            "seen_at",
        )
    )
    shown = paragraphs(current.body)
    article_sections = list(current.sections.all())
    translations = visible.translations_of(current)
    context: dict[str, Any] = {
        "article": current,
        "paragraphs": shown,
        "article_sections": article_sections,
        "sightings": sightings,
        "places": _places(sightings),
        "versions": _earlier_versions(current),
        "newer": _neighbour(visible, current, newer=True),
        "older": _neighbour(visible, current, newer=False),
        "translations": translations,
        "meta": article_metadata(request, current, shown, article_sections, translations),
    }
    return render(request, "portal/article.html", context)


def _places(sightings: list[Sighting]) -> list[dict[str, Any]]:
    """Where the story was seen, one entry per listing page (or input) and section."""
    places: dict[tuple[str, str], dict[str, Any]] = {}
    for s in sightings:
        where = s.page_url or s.input_name.rsplit("/", 1)[-1]
        key = (where, s.section_name)
        if key not in places:
            places[key] = {
                "url": s.page_url or "",
                "name": where,
                "section": s.section_name,
                "first_seen": s.seen_at,
                "copies": 0,
            }
        places[key]["copies"] += 1
    return list(places.values())


def _earlier_versions(current: Article) -> list[EarlierVersion]:
    versions = list(current.versions.only("id", "article_id", "title", "body", "replaced_at"))
    earlier: list[EarlierVersion] = []
    newer_title, newer_body = current.title, current.body
    for version in versions:  # newest first
        earlier.append(
            EarlierVersion(
                version,
                word_diff(version.title, newer_title),
                word_diff(version.body, newer_body),
            )
        )
        newer_title, newer_body = version.title, version.body
    return earlier


def _neighbour(visible: Any, current: Article, newer: bool) -> Article | None:
    """The next article in the public newest-first order, in either direction.

    Two index look-ups (same day, then the next day with articles) rather than one
    query with an OR, which no planner answers from the list index.
    """
    fields = ("id", "title", "lang", "published")
    if newer:
        same_day = visible.filter(published=current.published, id__gt=current.pk).order_by("id")
        other_days = visible.filter(published__gt=current.published).order_by("published", "id")
    else:
        same_day = visible.filter(published=current.published, id__lt=current.pk).order_by("-id")
        other_days = visible.filter(published__lt=current.published).order_by("-published", "-id")
    found: Article | None = same_day.only(*fields).first() or other_days.only(*fields).first()
    return found
