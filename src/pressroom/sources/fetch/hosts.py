"""Per-host politeness: concurrency, request rate, Retry-After and a circuit breaker.

gov.kz serves two thousand publishers from one host, so every limit is per host,
never per source: at most N requests at once, at least 1/R seconds between two
request starts, a host-wide pause when it answers 429/503 with ``Retry-After``,
and after ``failures`` failed requests in a row the host rests for ``cooldown``
seconds, then gets one trial request (half-open) before traffic resumes.

Limits hold within one process. Several worker processes share a host's budget
only loosely (each keeps its own); run fewer workers, or lower N, for a host that
must see a strict total.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from pressroom import config


@dataclass(frozen=True, slots=True)
class HostLimit:
    concurrency: int
    rate: float  # requests per second; 0 = unlimited


def parse_host_limits(spec: str) -> dict[str, HostLimit]:
    """``www.gov.kz=2/1,*=4/5`` -> {host: HostLimit}; bad entries are a clear error."""
    limits: dict[str, HostLimit] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        host, sep, value = part.partition("=")
        n, slash, r = value.partition("/")
        try:
            limit = HostLimit(int(n), float(r) if slash else 0.0)
        except ValueError:
            limit = None
        if not sep or limit is None or limit.concurrency < 1 or limit.rate < 0:
            raise ValueError(
                f"PRESSROOM_FETCH_HOST_LIMITS: cannot read {part!r}; expected host=N/R"
            )
        limits[host.strip().lower()] = limit
    limits.setdefault("*", HostLimit(2, 2.0))
    return limits


def configured_breaker() -> tuple[int, float]:
    n, _, s = config.env("PRESSROOM_FETCH_BREAKER").partition("/")
    return int(n), float(s or 300)


class CircuitOpen(Exception):
    """The host failed too often lately; it is left alone until its cool-down ends."""


@dataclass
class HostState:
    limit: HostLimit
    failures_to_open: int
    cooldown: float
    semaphore: asyncio.Semaphore = field(init=False)
    next_start: float = 0.0  # monotonic time before which no request may start
    failures: int = 0
    open_until: float = 0.0
    trial_running: bool = False
    crawl_delay: float = 0.0  # robots.txt Crawl-delay, when slower than our own rate
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(self.limit.concurrency)

    async def wait_turn(self) -> None:
        """Space request starts by the rate limit and any Retry-After pause."""
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            interval = 1.0 / self.limit.rate if self.limit.rate > 0 else 0.0
            interval = max(interval, self.crawl_delay)
            self.next_start = start + interval
        if start > now:
            await asyncio.sleep(start - now)

    def check_breaker(self) -> None:
        now = time.monotonic()
        if self.failures < self.failures_to_open:
            return
        if now < self.open_until:
            raise CircuitOpen(f"circuit open for {self.open_until - now:.0f} s more")
        if self.trial_running:
            raise CircuitOpen("circuit half-open: a trial request is running")
        self.trial_running = True

    def record(self, ok: bool) -> None:
        self.trial_running = False
        if ok:
            self.failures = 0
            return
        self.failures += 1
        if self.failures >= self.failures_to_open:
            self.open_until = time.monotonic() + self.cooldown

    def pause(self, seconds: float) -> None:
        """The host asked us to wait (Retry-After): no request to it starts before then."""
        self.next_start = max(self.next_start, time.monotonic() + seconds)


class Hosts:
    """The state of every host this process talks to."""

    def __init__(
        self,
        limits: dict[str, HostLimit] | None = None,
        breaker: tuple[int, float] | None = None,
    ) -> None:
        self.limits = limits or parse_host_limits(config.env("PRESSROOM_FETCH_HOST_LIMITS"))
        self.breaker = breaker or configured_breaker()
        self._states: dict[str, HostState] = {}

    def get(self, host: str) -> HostState:
        host = host.lower()
        state = self._states.get(host)
        if state is None:
            limit = self.limits.get(host) or self.limits["*"]
            state = HostState(limit, *self.breaker)
            self._states[host] = state
        return state
