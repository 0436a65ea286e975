"""Mounted at ``/api/v1/`` by the project's ``urls.py``, outside the language prefix.

Beside django-ninja's own patterns: a small index at the root (ninja answers it with an
HTML 404) and a JSON 404 for any other path under the prefix, so clients never get the
portal's HTML error page. Ninja's views are wrapped once more so that ``HEAD`` is
answered like ``GET`` without the body, and other methods get a JSON 405.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import URLPattern, URLResolver, path, re_path, reverse

from pressroom.web.api.api import api

ALLOWED = "GET, HEAD"


def index(request: HttpRequest) -> JsonResponse:
    def link(name: str) -> str:
        return request.build_absolute_uri(reverse(f"api-v1:{name}"))

    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "openapi": link("openapi-json"),
            "docs": link("openapi-view"),
            "articles": link("list_articles"),
            "search": link("search_articles"),
            "sections": link("list_sections"),
            "publishers": link("list_publishers"),
        }
    )


def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    return JsonResponse({"detail": f"There is no {request.path} in this API."}, status=404)


def read_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
                response.content = b""  # type: ignore[attr-defined]
        if response.status_code == 405:
            response = JsonResponse(
                {"detail": f"This API is read-only: {ALLOWED} only, not {request.method}."},
                status=405,
            )
            response["Allow"] = ALLOWED
        return response

    return wrapped


def _read_only_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app, _namespace = api.urls
    return [
        URLPattern(p.pattern, read_only(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


urlpatterns = [
    path("", index, name="api_index"),
    path("", (_read_only_patterns(), "ninja", api.urls_namespace)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
