"""Requests per client in a sliding window, counted in the shared cache.

Why not ``ninja.throttling``: its throttles keep a list of request times per client,
read and rewritten whole on every request (lost updates when two workers answer one
client at once, and a list of thousands of floats for a generous limit), keep the state
of the last request on the throttle *object* that all threads share, add no
``X-RateLimit-*`` headers, and by default trust ``X-Forwarded-For``, which any client can
write. Here two integer counters per client (this window and the previous one) give a
sliding-window estimate: ``previous * (share of the window still overlapping) + current``.
``cache.incr`` is atomic on Redis; on the file cache it is a read and a write, so two
processes can occasionally count one request instead of two (a limit, not a quota).

The client is ``REMOTE_ADDR`` (an IPv6 client by its /64, which one machine usually
holds whole). ``X-Forwarded-For`` is ignored unless ``PRESSROOM_API_PROXIES`` says how
many proxies of ours stand in front: then the address the outermost one saw is used.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from pressroom import config

KEY_PREFIX = "pressroom:api-rate"


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    window: int  # seconds
    remaining: int
    reset: int  # seconds until the current window ends
    retry_after: int  # seconds to wait when refused (0 when allowed)

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


@lru_cache(maxsize=8)
def parse_rate(text: str) -> Rate | None:
    """``N/S`` (N requests per S seconds) -> Rate; ``0`` or empty -> no limit."""
    text = text.strip()
    if text in ("", "0"):
        return None
    count, _, seconds = text.partition("/")
    try:
        rate = Rate(int(count), int(seconds or "60"))
    except ValueError:
        rate = Rate(0, 0)
    if rate.requests < 1 or not 1 <= rate.seconds <= 86_400:
        raise ImproperlyConfigured(
            f"PRESSROOM_API_RATE_LIMIT={text!r}: write N/S, N requests per S seconds "
            "(S from 1 to 86400), or 0 for no limit"
        )
    return rate


def configured_rate() -> Rate | None:
    return parse_rate(config.env("PRESSROOM_API_RATE_LIMIT"))


@lru_cache(maxsize=8)
def parse_proxies(text: str) -> int:
    if not text.strip().isdigit():
        raise ImproperlyConfigured(
            f"PRESSROOM_API_PROXIES={text!r}: write how many proxies of ours stand in front"
            " (0 or more)"
        )
    return int(text)


def configured_proxies() -> int:
    return parse_proxies(config.env("PRESSROOM_API_PROXIES") or "0")


def client_address(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = configured_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-min(proxies, len(hops))]
    return _bucket(address)


def _bucket(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)


def check(request: HttpRequest, rate: Rate, now: float | None = None) -> Decision:
    """Count this request for its client, unless that would pass the limit."""
    now = time.time() if now is None else now
    window, elapsed = divmod(now, rate.seconds)
    client = hashlib.blake2b(client_address(request).encode(), digest_size=12).hexdigest()
    current_key = f"{KEY_PREFIX}:{rate.seconds}:{client}:{int(window)}"
    previous_key = f"{KEY_PREFIX}:{rate.seconds}:{client}:{int(window) - 1}"
    counts = cache.get_many([current_key, previous_key])
    current, previous = counts.get(current_key, 0), counts.get(previous_key, 0)
    overlap = 1 - elapsed / rate.seconds
    reset = max(1, math.ceil(rate.seconds - elapsed))
    if previous * overlap + current + 1 > rate.requests:
        wait = _wait(previous, current, elapsed, rate)
        return Decision(False, rate.requests, rate.seconds, 0, reset, wait)
    current = _count(current_key, 2 * rate.seconds)
    remaining = math.floor(rate.requests - previous * overlap - current)
    return Decision(True, rate.requests, rate.seconds, max(0, remaining), reset, 0)


def _count(key: str, ttl: int) -> int:
    if cache.add(key, 1, ttl):
        return 1
    try:
        value = int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ttl)
        return 1
    if cache.default_timeout is not None and ttl > cache.default_timeout:
        cache.touch(key, ttl)  # backends whose incr rewrites the entry with the default timeout
    return value


def _wait(previous: int, current: int, elapsed: float, rate: Rate) -> int:
    """Seconds until one more request fits under the sliding estimate."""
    room = rate.requests - 1  # the estimate must drop to this for the next request to fit
    if current <= room:
        # Within this window, as the previous window's share shrinks.
        needed = rate.seconds * (1 - (room - current) / previous) if previous else 0.0
        if needed >= elapsed:
            return max(1, math.ceil(needed - elapsed))
        return 1
    # In the next window, as this window's count becomes the shrinking share.
    into_next = rate.seconds * (1 - room / current)
    return max(1, math.ceil(rate.seconds - elapsed + into_next))
