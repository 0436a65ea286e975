"""The ``NinjaAPI`` instance: routers, the guard on every answer, JSON for every error."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger

from pressroom.web.api import ratelimit
from pressroom.web.api.guard import guard
from pressroom.web.api.pagination import CursorError
from pressroom.web.api.routes import articles, directory, search

DESCRIPTION = """\
Read-only access to the articles of the Pressroom portal: lists with the filters of the
search, each article with every copy read (*sightings*) and its earlier texts
(*versions*), full-text search, sections and publishers.

Lists are paged with opaque cursors: follow `next` (or pass `next_cursor` as `cursor`)
until it is null. Every answer carries a weak `ETag`; send it back in `If-None-Match`
for a `304`. Each client address may make a limited number of requests per window
(`X-RateLimit-*` headers; `429` with `Retry-After` past it). See `docs/api.md`.
"""

# A bad setting stops the server when the URLs load, not at a client's first request.
ratelimit.configured_rate()
ratelimit.configured_proxies()

api = NinjaAPI(
    title="Pressroom API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    # Served from ninja's static files (no CDN), so the page runs under the portal's
    # Content-Security-Policy; no validator badge, which would load an image from elsewhere.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=guard,
)
api.add_decorator(guard, mode="view")
api.add_router("", articles.router)
api.add_router("", search.router)
api.add_router("", directory.router)


@api.exception_handler(CursorError)
def bad_cursor(request: HttpRequest, exc: CursorError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)
