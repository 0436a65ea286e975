"""What every API answer goes through: the rate limit first, then the ETag.

Applied to every operation (``NinjaAPI.add_decorator(..., mode="view")``, which wraps
the operation before its parameters are read) and to the OpenAPI document and docs page
(``docs_decorator``). Order: a refused client costs one cache round trip; a client whose
copy is current gets a 304 before any parameter is parsed or any query is run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils.cache import get_conditional_response

from pressroom.web.api import ratelimit
from pressroom.web.api.etag import etag_for

CACHE_CONTROL = "public, max-age=0, must-revalidate"  # always revalidate: a 304 is cheap
NO_STORE = "no-store"


def guard(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        rate = ratelimit.configured_rate()
        decision = ratelimit.check(request, rate) if rate else None
        if decision is not None and not decision.allowed:
            response: HttpResponseBase = too_many_requests(decision)
        else:
            response = _conditional(request, view, args, kwargs)
        if decision is not None:
            for name, value in decision.headers().items():
                response[name] = value
        return response

    return wrapped


def _conditional(
    request: HttpRequest,
    view: Callable[..., HttpResponseBase],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HttpResponseBase:
    etag = etag_for(request)  # before the view reads any data: see etag.py
    conditional = get_conditional_response(request, etag=etag)
    response = view(request, *args, **kwargs) if conditional is None else conditional
    if response.status_code in (200, 304):
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
    else:  # errors are not worth keeping: the next try may well succeed
        response["Cache-Control"] = NO_STORE
    return response


def too_many_requests(decision: ratelimit.Decision) -> JsonResponse:
    response = JsonResponse(
        {
            "detail": f"Too many requests: at most {decision.limit} every {decision.window} "
            f"seconds from one client. Try again in {decision.retry_after} seconds."
        },
        status=429,
    )
    response["Cache-Control"] = NO_STORE
    return response
