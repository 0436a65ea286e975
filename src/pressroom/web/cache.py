"""The server-side page cache, invalidated by a content version every writer bumps.

Every public page depends on the stored articles and nothing else (no cookies, the
language is in the URL), so a rendered page can be kept under its URL until the
content changes. Instead of tracking which page shows which article, the whole
cache is keyed by a *content version*: a token in the shared cache that ingest
(after each committed batch) and the admin (after each edit) replace. A new token
makes every older page unreachable at once; old entries expire or are culled.

Order matters for correctness: the version is read *before* the page's data, and
bumped *after* the writer's commit, so a page rendered from old data is always
stored under a version that is already out of date. Tokens are random, never
counters, so two writers bumping at once cannot end up on a version a stale page
was stored under.

The cache is Django's ``default`` cache: files under ``$PRESSROOM_HOME/cache`` (shared
by all gunicorn workers and the ``pressroom`` commands) or Redis when
``PRESSROOM_CACHE_URL`` names one.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

VERSION_KEY = "pressroom:content-version"
PAGE_TIMEOUT = 24 * 3600
CACHE_CONTROL = "public, max-age=0, must-revalidate"
_PUBLIC = "_pressroom_public_page"


@dataclass(frozen=True)
class ContentVersion:
    token: str
    changed_at: float  # seconds since the epoch: the pages' Last-Modified


def _new_token() -> str:
    return f"{time.time():.6f}:{secrets.token_hex(6)}"


def _parse(token: str) -> ContentVersion:
    stamp, _, _ = token.partition(":")
    try:
        return ContentVersion(token, float(stamp))
    except ValueError:
        return ContentVersion(token, time.time())


def content_version() -> ContentVersion:
    """The current version; created on first use (or after the cache was emptied)."""
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, _new_token(), timeout=None)
        token = cache.get(VERSION_KEY) or _new_token()
    return _parse(str(token))


def bump_content_version() -> None:
    cache.set(VERSION_KEY, _new_token(), timeout=None)


def content_changed(using: str | None = None) -> None:
    """Call after changing what readers see: the pages go stale when the change commits
    (at once outside a transaction; never if it rolls back)."""
    transaction.on_commit(bump_content_version, using=using)


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark a view's successful responses as the same for every reader, hence cacheable."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return mark_public(view(request, *args, **kwargs))

    return wrapped


def mark_public(response: HttpResponseBase) -> HttpResponseBase:
    """Mark one response as cacheable, for views that decide per request (``public_page``
    marks every successful response of a view)."""
    setattr(response, _PUBLIC, True)
    return response


def within_budget(request: HttpRequest, budget: str, per_hour: int, max_query: int) -> bool:
    """Whether a page with an open-ended URL (a search) may be stored in the page cache.

    There is no end to search URLs and the cache is bounded, so a flood of new ones must
    not push the portal's pages out: at most ``per_hour`` new pages of one ``budget``
    are stored per clock hour, each with a query string of at most ``max_query``
    characters; past that they are rendered for each request.
    """
    if len(request.META.get("QUERY_STRING", "")) > max_query:
        return False
    key = f"pressroom:budget:{budget}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=2 * 3600)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        return False
    return used <= per_hour


def _is_page_path(path: str) -> bool:
    if path.startswith(_ROOT_PAGES):
        return True
    prefix = path[1:4]
    return len(prefix) == 3 and prefix[2] == "/" and prefix[:2] in _LANGUAGES


_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)
# Public files outside the language prefixes (web.views.discovery).
_ROOT_PAGES = ("/robots.txt", "/sitemap")


def _page_key(version: ContentVersion, request: HttpRequest) -> str:
    # Scheme and host too: pages hold absolute links (canonical, hreflang, sitemaps).
    url = request.build_absolute_uri().encode("utf-8", "surrogateescape")
    return f"pressroom:page:{version.token}:{hashlib.blake2b(url, digest_size=16).hexdigest()}"


def _validators(response: HttpResponseBase, version: ContentVersion) -> None:
    content = getattr(response, "content", b"")
    response["ETag"] = f'"{hashlib.blake2b(content, digest_size=12).hexdigest()}"'
    response["Last-Modified"] = http_date(version.changed_at)
    response["Cache-Control"] = CACHE_CONTROL


def _freeze(response: HttpResponse) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
    }


def _thaw(stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"], status=stored["status"])
    for name, value in stored["headers"]:
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serve public pages from the shared cache; answer 304 when the reader's copy is current.

    It sits right after the static files, before sessions, locale and CSRF, so a cache
    hit costs two cache reads and no database query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or not _is_page_path(request.path_info):
            return self.get_response(request)
        version = content_version()  # before any data is read: see the module docstring
        key = _page_key(version, request)
        stored = cache.get(key)
        response: HttpResponseBase
        if stored is not None:
            response = _thaw(stored)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not _storable(response):
                return response
            _validators(response, version)
            assert isinstance(response, HttpResponse)
            cache.set(key, _freeze(response), PAGE_TIMEOUT)
            response["X-Page-Cache"] = "miss"
        conditional = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(version.changed_at),
            response=response,
        )
        return conditional if conditional is not None else response


def _storable(response: HttpResponseBase) -> bool:
    return (
        getattr(response, _PUBLIC, False)
        and response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.cookies
    )
