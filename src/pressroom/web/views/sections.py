"""A section's page: all its articles, newest first, in numbered pages of a snapshot."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from pressroom.store.models import Article, Section
from pressroom.web.cache import public_page
from pressroom.web.views.common import article_page, section_page


@public_page
def section(request: HttpRequest, slug: str) -> HttpResponse:
    current = get_object_or_404(Section, slug=slug)
    _page, context = section_page(request, current)
    return render(request, "portal/section.html", {"section": current, **context})


@public_page
def all_news(request: HttpRequest) -> HttpResponse:
    _page, context = article_page(request, Article.objects.visible())
    return render(request, "portal/all_news.html", {"nav": "all", **context})
