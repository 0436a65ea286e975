"""``/sections``, ``/publishers`` (cursor pages by slug) and ``/publishers/{slug}``.

Names are given in every language as the portal shows them: an editor's name for that
language, else the catalogue's translation (sections) or the English name (publishers).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import override
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from pressroom.store.models import Article, Publisher, Section
from pressroom.web.api import pagination
from pressroom.web.api.routes.common import ERRORS, NOT_FOUND, OPENAPI_EXTRA, portal_url
from pressroom.web.api.schemas import (
    SLUG,
    Kind,
    Page,
    PublisherDetail,
    PublisherList,
    SectionList,
)
from pressroom.web.i18n import LANGUAGE_CODES, publisher_name, section_name

router = Router(tags=["directory"])

PUBLISHER_FIELDS = (
    "id",
    "slug",
    "kind",
    "name_en",
    "name_ru",
    "name_kk",
    "home_url",
    "region",
    "parent__slug",
)


@router.get(
    "/sections",
    response={200: SectionList, **ERRORS},
    openapi_extra=OPENAPI_EXTRA,
    summary="Every section, in home-page order",
)
def list_sections(request: HttpRequest) -> dict[str, Any]:
    sections = list(Section.objects.order_by("position", "name"))
    return {
        "items": [
            {
                "slug": s.slug,
                "name": s.name,
                "names": _in_every_language(lambda s=s: section_name(s)),
                "position": s.position,
                "url": portal_url(request, "portal:section", s.slug),
            }
            for s in sections
        ]
    }


class PublisherFilters(Schema):
    kind: Kind | None = Field(None, description="Only publishers of this kind.")
    parent: str | None = Field(
        None, max_length=120, pattern=SLUG, description="Only those directly under this slug."
    )


@router.get(
    "/publishers",
    response={200: PublisherList, **ERRORS},
    openapi_extra=OPENAPI_EXTRA,
    summary="Publishers by slug",
)
def list_publishers(
    request: HttpRequest, filters: Query[PublisherFilters], page: Query[Page]
) -> dict[str, Any]:
    publishers = Publisher.objects.select_related("parent").only(*PUBLISHER_FIELDS)
    if filters.kind:
        publishers = publishers.filter(kind=filters.kind)
    if filters.parent:
        publishers = publishers.filter(parent__slug=filters.parent)
    if page.cursor:
        publishers = publishers.filter(slug__gt=pagination.slug_position(page.cursor, "p"))
    rows = list(publishers.order_by("slug")[: page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    cursor = pagination.slug_cursor("p", rows[-1].slug) if more else None
    return {
        "items": [_publisher(request, p) for p in rows],
        "limit": page.limit,
        "next_cursor": cursor,
        "next": pagination.next_url(request, cursor),
    }


@router.get(
    "/publishers/{slug}",
    response={200: PublisherDetail, **ERRORS, **NOT_FOUND},
    openapi_extra=OPENAPI_EXTRA,
    summary="One publisher, the publishers under it and its article count",
)
def get_publisher(
    request: HttpRequest,
    slug: str = Path(..., max_length=120, pattern=SLUG),
) -> dict[str, Any]:
    """`articles` counts the visible articles of this publisher alone (not those under it)."""
    publisher = (
        Publisher.objects.select_related("parent").only(*PUBLISHER_FIELDS).filter(slug=slug).first()
    )
    if publisher is None:
        raise HttpError(404, f"There is no publisher “{slug}”.")
    data = _publisher(request, publisher)
    data["children"] = list(
        Publisher.objects.filter(parent=publisher).order_by("slug").values_list("slug", flat=True)
    )
    data["articles"] = Article.objects.visible().filter(publisher=publisher).count()
    return data


def _publisher(request: HttpRequest, p: Publisher) -> dict[str, Any]:
    return {
        "slug": p.slug,
        "kind": p.kind,
        "parent": p.parent.slug if p.parent else None,
        "names": {lang: publisher_name(p, lang) for lang in LANGUAGE_CODES},
        "home_url": p.home_url,
        "region": p.region,
        "url": portal_url(request, "portal:publisher", p.slug),
    }


def _in_every_language(name: Any) -> dict[str, str]:
    names = {}
    for lang in LANGUAGE_CODES:
        with override(lang):
            names[lang] = str(name())
    return names
