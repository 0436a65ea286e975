"""One polite HTTP client for every fetch: feeds, pages, sitemaps and robots.txt.

What a fetch does, in order, for each hop of a redirect chain:

1. only ``http``/``https``; robots.txt of the host must allow the URL;
2. the host's circuit breaker must be closed (``hosts.py``);
3. wait for one of the host's concurrency slots and for its rate limit;
4. resolve the host and refuse private, loopback and link-local addresses
   (``guard.py``), then connect to the checked address;
5. send ``If-None-Match``/``If-Modified-Since`` when validators are known, so an
   unchanged resource costs a 304 and no body;
6. stream the body (gzip and brotli are decoded by httpx) and stop past
   ``max_bytes``; the whole attempt has a total deadline besides the connect and
   read timeouts, so a server that drips one byte a second cannot hold a slot.

Connection errors, timeouts, 5xx, 429 and 503 are retried with exponential
backoff and full jitter; a ``Retry-After`` (seconds or HTTP date) replaces the
backoff and pauses the whole host. A fetch never raises for network trouble: it
returns a ``FetchResult`` whose ``error`` says what went wrong.

``FetchSession`` runs the async client on its own thread so that synchronous
code (Django, the writer) can submit requests and take results as each
completes: one slow host never delays the handling of the others.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import queue
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from pressroom import __version__, config
from pressroom.sources.fetch import charset, guard, robots
from pressroom.sources.fetch.hosts import CircuitOpen, Hosts, HostState

log = logging.getLogger(__name__)

ROBOTS_AGENT = "Pressroom"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRYABLE = frozenset({429, 500, 502, 503, 504})


def default_user_agent() -> str:
    return config.env("PRESSROOM_FETCH_USER_AGENT") or (
        f"Pressroom/{__version__} (+https://github.com/pressroom; press release aggregator)"
    )


@dataclass(frozen=True, slots=True)
class FetchRequest:
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    attempts: int = 0
    elapsed: float = 0.0
    retry_after: float | None = None  # the host asked for a longer pause than we wait
    permanent: bool = False  # refused by a rule (robots, guard, size, loop): retrying won't help

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        """The resource no longer exists: 404 or 410."""
        return self.error is None and self.status in (404, 410)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def decoded(self) -> charset.Decoded:
        header = httpx.Headers(self.headers).get("content-type", "")
        declared = None
        for param in header.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                declared = value.strip()
        return charset.decode(self.body or b"", declared)


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float
    read: float
    total: float

    @classmethod
    def configured(cls) -> Timeouts:
        parts = [float(p) for p in config.env("PRESSROOM_FETCH_TIMEOUTS").split("/")]
        if len(parts) != 3:
            raise ValueError("PRESSROOM_FETCH_TIMEOUTS must be connect/read/total seconds")
        return cls(*parts)


class _Failure(Exception):
    """One attempt failed in a way worth retrying (network, timeout)."""


class _Final(Exception):
    """One attempt failed in a way no retry will fix (blocked, too large, redirect loop)."""


class Fetcher:
    """Async fetching with all the rules above; use ``async with Fetcher() as f``."""

    def __init__(
        self,
        *,
        hosts: Hosts | None = None,
        user_agent: str | None = None,
        timeouts: Timeouts | None = None,
        max_bytes: int | None = None,
        retries: int | None = None,
        max_redirects: int | None = None,
        allow_private: bool | None = None,
        respect_robots: bool = True,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 120.0,
    ) -> None:
        self.hosts = hosts or Hosts()
        self.user_agent = user_agent or default_user_agent()
        self.timeouts = timeouts or Timeouts.configured()
        self.max_bytes = max_bytes or int(config.env("PRESSROOM_FETCH_MAX_BYTES"))
        self.retries = int(config.env("PRESSROOM_FETCH_RETRIES")) if retries is None else retries
        self.max_redirects = (
            int(config.env("PRESSROOM_FETCH_MAX_REDIRECTS"))
            if max_redirects is None
            else max_redirects
        )
        self.allow_private = guard.private_allowed() if allow_private is None else allow_private
        self.respect_robots = respect_robots
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._robots: dict[str, robots.RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        t = self.timeouts
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.read, pool=None),
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- one fetch, with retries ----------------------------------------------------------------

    async def fetch(self, request: FetchRequest) -> FetchResult:
        started = time.monotonic()
        result = FetchResult(url=request.url, final_url=request.url)
        for attempt in range(self.retries + 1):
            result.attempts = attempt + 1
            result.error, result.status, result.body, result.headers = None, None, None, {}
            delay: float | None = None
            try:
                async with asyncio.timeout(self.timeouts.total):
                    await self._attempt(request, result)
            except TimeoutError:
                result.error = f"timed out after {self.timeouts.total:g} s"
                result.status = None
            except _Failure as exc:
                result.error = str(exc)
                result.status = None
            except (_Final, guard.BlockedAddress) as exc:
                result.error, result.status, result.permanent = str(exc), None, True
                break
            except CircuitOpen as exc:
                result.error, result.status = str(exc), None
                break
            if result.error is None and result.status not in RETRYABLE:
                break
            if result.status in RETRYABLE:
                result.error = f"HTTP {result.status}"
                retry_after = _retry_after(result.headers.get("retry-after"))
                if retry_after is not None:
                    if retry_after > self.max_retry_after:
                        result.retry_after = retry_after
                        break
                    self.hosts.get(_host(result.final_url)).pause(retry_after)
                    delay = retry_after
            if attempt == self.retries:
                break
            if delay is None:  # exponential backoff with full jitter
                delay = random.uniform(0, min(self.backoff_cap, self.backoff_base * 2**attempt))
            await asyncio.sleep(delay)
        result.elapsed = time.monotonic() - started
        return result

    async def _attempt(self, request: FetchRequest, result: FetchResult) -> None:
        url = request.url
        seen: set[str] = set()
        for _hop in range(self.max_redirects + 1):
            seen.add(url)
            result.final_url = url
            await self._send(url, request, result)
            if result.status not in REDIRECTS:
                return
            location = result.headers.get("location")
            if not location:
                raise _Final(f"HTTP {result.status} without a Location")
            url = urljoin(url, location.strip())
            if url in seen:
                raise _Final(f"redirect loop at {url}")
        raise _Final(f"more than {self.max_redirects} redirects")

    async def _send(
        self, url: str, request: FetchRequest, result: FetchResult, check_robots: bool = True
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _Final(f"not an http(s) URL: {url[:200]}")
        host = self.hosts.get(parts.hostname)
        if check_robots and self.respect_robots:
            rules = await self._robots_for(parts.scheme, parts.netloc)
            if not rules.allows(ROBOTS_AGENT, url):
                raise _Final(f"robots.txt of {parts.netloc} disallows {parts.path or '/'}")
            delay = rules.crawl_delay(ROBOTS_AGENT)
            if delay:
                host.crawl_delay = max(host.crawl_delay, delay)
        host.check_breaker()
        async with host.semaphore:
            await host.wait_turn()
            try:
                await self._exchange(url, parts, request, result)
            except (_Failure, TimeoutError, asyncio.CancelledError):
                host.record(ok=False)
                raise
            except _Final:
                host.record(ok=True)  # the host answered; it was our rule that stopped
                raise
            host.record(ok=result.status is not None and result.status < 500)

    async def _exchange(
        self, url: str, parts: Any, request: FetchRequest, result: FetchResult
    ) -> None:
        assert self._client is not None, "use 'async with Fetcher()'"
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            address = await guard.resolve_checked(parts.hostname, port, self.allow_private)
        except OSError as exc:
            raise _Failure(str(exc)) from exc
        headers = {"Host": parts.netloc}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        pinned = _pinned_url(parts, address, port)
        extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
        try:
            async with self._client.stream(
                "GET", pinned, headers=headers, extensions=extensions
            ) as response:
                result.status = response.status_code
                result.headers = {k.lower(): v for k, v in response.headers.items()}
                result.body = None
                if response.status_code in REDIRECTS or response.status_code == 304:
                    return
                result.body = await self._read_capped(response)
        except httpx.TransportError as exc:
            detail = f": {exc}" if str(exc) else ""
            raise _Failure(f"{exc.__class__.__name__}{detail}") from exc
        except httpx.DecodingError as exc:
            raise _Failure(f"cannot decode the body: {exc}") from exc

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise _Final(f"body of {int(declared):,} bytes is over the {self.max_bytes:,} limit")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise _Final(f"body is over the {self.max_bytes:,} byte limit; stopped reading")
            chunks.append(chunk)
        return b"".join(chunks)

    # -- robots.txt -----------------------------------------------------------------------------

    async def _robots_for(self, scheme: str, netloc: str) -> robots.RobotsRules:
        key = f"{scheme}://{netloc}"
        rules = self._robots.get(key)
        if rules is not None and rules.fresh:
            return rules
        lock = self._robots_locks.setdefault(key, asyncio.Lock())
        async with lock:
            rules = self._robots.get(key)
            if rules is not None and rules.fresh:
                return rules
            probe = FetchResult(url=f"{key}/robots.txt", final_url=f"{key}/robots.txt")
            saved_max = self.max_bytes
            try:
                async with asyncio.timeout(self.timeouts.total):
                    self.max_bytes = robots.ROBOTS_MAX_BYTES
                    await self._robots_attempt(probe)
                text = probe.decoded().text if probe.body is not None else None
                rules = robots.rules_from_response(probe.status, text)
            except (TimeoutError, _Failure, CircuitOpen) as exc:
                log.info("robots.txt of %s unreachable (%s): not fetching there for now", key, exc)
                rules = robots.rules_from_response(None, None)
            except (_Final, guard.BlockedAddress):
                rules = robots.rules_from_response(404, None)
            finally:
                self.max_bytes = saved_max
            self._robots[key] = rules
            return rules

    async def _robots_attempt(self, probe: FetchResult) -> None:
        url = probe.url
        for _hop in range(self.max_redirects + 1):
            await self._send(url, FetchRequest(url), probe, check_robots=False)
            if probe.status not in REDIRECTS or not probe.headers.get("location"):
                return
            url = urljoin(url, probe.headers["location"])
        probe.status = 404  # a robots.txt lost in redirects counts as none


def _pinned_url(parts: Any, address: str, port: int) -> str:
    """The URL with its host replaced by the checked address (Host header keeps the name)."""
    host = f"[{address}]" if ":" in address else address
    default = 443 if parts.scheme == "https" else 80
    netloc = host if port == default else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# -- synchronous facade -------------------------------------------------------------------------


class FetchSession:
    """A ``Fetcher`` on a background event loop; submit from sync code, take results in order
    of completion.

        with FetchSession() as session:
            session.submit(FetchRequest(url), tag=source_id)
            for tag, result in session.results():
                ...  # may submit more
    """

    def __init__(self, **fetcher_options: Any) -> None:
        self._options = fetcher_options
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fetch")
        self._done: queue.Queue[tuple[Any, FetchResult]] = queue.Queue()
        self._pending = 0
        self.fetcher: Fetcher | None = None

    def __enter__(self) -> FetchSession:
        self._thread.start()
        self.fetcher = self._call(self._open())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.fetcher is not None:
                self._call(self.fetcher.__aexit__(None, None, None))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()

    async def _open(self) -> Fetcher:
        return await Fetcher(**self._options).__aenter__()

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def submit(self, request: FetchRequest, tag: Any = None) -> None:
        assert self.fetcher is not None
        future: Future[FetchResult] = asyncio.run_coroutine_threadsafe(
            self.fetcher.fetch(request), self._loop
        )
        self._pending += 1

        def done(f: Future[FetchResult]) -> None:
            try:
                result = f.result()
            except BaseException as exc:  # a bug, not the network: report it as a result
                result = FetchResult(request.url, request.url, error=f"internal error: {exc!r}")
            self._done.put((tag, result))

        future.add_done_callback(done)

    def results(self) -> Iterator[tuple[Any, FetchResult]]:
        """Results as they complete, until nothing submitted is left (more may be submitted)."""
        while self._pending:
            item = self._done.get()
            self._pending -= 1
            yield item

    def fetch(self, request: FetchRequest) -> FetchResult:
        """One fetch, waited for (for code that needs a single resource)."""
        assert self.fetcher is not None
        result: FetchResult = self._call(self.fetcher.fetch(request))
        return result


__all__ = ["FetchRequest", "FetchResult", "FetchSession", "Fetcher", "HostState", "Timeouts"]
