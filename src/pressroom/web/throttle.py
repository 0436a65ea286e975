"""Admin login throttling: a few wrong passwords lock the address and the account a while.

Why our own and not django-axes: axes brings models, migrations, a middleware and an
authentication backend for what is here two counters in the shared cache (files or
Redis, so every gunicorn worker sees the same counts). Failures are counted per
client address and per user name; either one reaching its limit refuses further
tries, even with the right password, until the window has passed. A successful
login clears its address's count.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ADDRESS = 5
MAX_FAILURES_PER_USER = 10


def _key(kind: str, value: str) -> str:
    digest = hashlib.blake2b(value.casefold().encode(), digest_size=12).hexdigest()
    return f"pressroom:login-failures:{kind}:{digest}"


def _keys(request: HttpRequest | None, username: str) -> dict[str, int]:
    address = (request.META.get("REMOTE_ADDR") if request else None) or "unknown"
    return {
        _key("address", address): MAX_FAILURES_PER_ADDRESS,
        _key("user", username): MAX_FAILURES_PER_USER,
    }


def is_locked(request: HttpRequest | None, username: str) -> bool:
    limits = _keys(request, username)
    counts = cache.get_many(list(limits))
    return any(counts.get(key, 0) >= limit for key, limit in limits.items())


def record_failure(request: HttpRequest | None, username: str) -> None:
    for key in _keys(request, username):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


def record_success(request: HttpRequest | None, username: str) -> None:
    address_key = next(iter(_keys(request, username)))
    cache.delete(address_key)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts to sign in. Please wait %(minutes)d minutes and try again."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        if is_locked(self.request, username):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            record_failure(self.request, username)
            raise
        record_success(self.request, username)
        return cleaned
