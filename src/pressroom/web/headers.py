"""Security headers Django 5.2 does not set itself: Content-Security-Policy and friends.

The portal runs no script at all and loads nothing from elsewhere, so its policy is
strict: even if text from a source slipped past escaping, the browser would refuse
to run it. The admin's own pages use inline ``style`` attributes, so only there are
inline styles allowed (still no inline or foreign scripts).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

_COMMON = (
    "default-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
PORTAL_POLICY = "; ".join((*_COMMON, "style-src 'self'"))
ADMIN_POLICY = "; ".join((*_COMMON, "style-src 'self' 'unsafe-inline'"))
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        admin = request.path_info.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy", ADMIN_POLICY if admin else PORTAL_POLICY
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
