"""Publishers: the directory grouped by kind, and one publisher's page with its articles."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pressroom.store.models import Article, Publisher
from pressroom.web.cache import public_page
from pressroom.web.i18n import kind_name, publisher_name
from pressroom.web.views.common import article_page

KIND_ORDER = [kind for kind, _label in Publisher.Kind.choices]


@public_page
def directory(request: HttpRequest) -> HttpResponse:
    counts = dict(
        Article.objects.visible()
        .order_by()
        .values_list("publisher_id")
        .annotate(count=Count("id"))
        .values_list("publisher_id", "count")
    )
    publishers = Publisher.objects.only("id", "slug", "name_en", "name_ru", "name_kk", "kind")
    groups: dict[str, list[Any]] = {kind: [] for kind in KIND_ORDER}
    for publisher in publishers:
        publisher.article_count = counts.get(publisher.pk, 0)  # type: ignore[attr-defined]
        groups.setdefault(publisher.kind, []).append(publisher)
    listed = [
        {
            "kind": kind,
            "name": kind_name(kind, plural=True),
            "publishers": sorted(members, key=lambda p: publisher_name(p).casefold()),
        }
        for kind, members in groups.items()
        if members
    ]
    return render(request, "portal/publishers.html", {"groups": listed, "nav": "publishers"})


@public_page
def publisher(request: HttpRequest, slug: str) -> HttpResponse:
    current = get_object_or_404(Publisher.objects.select_related("parent"), slug=slug)
    children = list(current.children.only("id", "slug", "name_en", "name_ru", "name_kk"))
    _page, context = article_page(request, Article.objects.visible().filter(publisher=current))
    return render(
        request,
        "portal/publisher.html",
        {"publisher": current, "children": children, "nav": "publishers", **context},
    )
