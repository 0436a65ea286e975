"""``PRESSROOM_CACHE_URL`` -> Django's ``CACHES``: files by default, Redis when named.

Read by ``settings.py``; imports nothing from Django's app registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

FILE_CACHE_MAX_ENTRIES = 20_000


def caches(url: str, home: Path) -> dict[str, dict[str, Any]]:
    """Every process on one machine (file cache) or on many (Redis) shares this cache."""
    url = url.strip()
    if url.startswith(("redis://", "rediss://", "unix://")):
        default: dict[str, Any] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "pressroom",
        }
    elif url == "" or url.startswith("file://"):
        location = url.removeprefix("file://") or str(home / "cache")
        default = {
            "BACKEND": "pressroom.web.filecache.SharedFileCache",
            "LOCATION": location,
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_MAX_ENTRIES},
        }
    elif url == "locmem://":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    else:
        raise ImproperlyConfigured(
            f"PRESSROOM_CACHE_URL={url!r}: use redis://host:6379/0, file:///path or leave it empty"
        )
    return {"default": default}
