"""What several routes share: the OpenAPI description of every answer's headers and errors,
and links to the portal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pressroom.store.models import PARAGRAPH_SEPARATOR
from pressroom.web import links
from pressroom.web.api.schemas import Error, ValidationErrors

_RATE_HEADERS = {
    "X-RateLimit-Limit": "Requests a client may make per window.",
    "X-RateLimit-Remaining": "Requests left now (sliding window).",
    "X-RateLimit-Reset": "Seconds until the current window ends.",
}


def _headers(names: dict[str, str]) -> dict[str, Any]:
    return {
        name: {"description": text, "schema": {"type": "string"}} for name, text in names.items()
    }


# Status codes every operation may answer, beside its 200.
ERRORS: dict[int, Any] = {
    304: None,
    400: Error,
    422: ValidationErrors,
    429: Error,
}
NOT_FOUND: dict[int, Any] = {404: Error}

OPENAPI_EXTRA = {
    "responses": {
        200: {
            "headers": _headers(
                {"ETag": "Weak validator; send it back in If-None-Match.", **_RATE_HEADERS}
            )
        },
        304: {"description": "Not Modified: the copy named in If-None-Match is current."},
        400: {"description": "A parameter names nothing here (a cursor, section, publisher)."},
        422: {"description": "A parameter is malformed."},
        429: {
            "description": "Too many requests from this client; see Retry-After.",
            "headers": _headers({"Retry-After": "Seconds to wait.", **_RATE_HEADERS}),
        },
    }
}


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def portal_url(request: HttpRequest, name: str, arg: object, lang: str | None = None) -> str:
    """A portal page (in ``lang``, else the site's default language) as an absolute URL."""
    return request.build_absolute_uri(links.url(name, arg, lang or settings.LANGUAGE_CODE))


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split(PARAGRAPH_SEPARATOR) if p]
