"""The fetcher against misbehaving loopback servers (no database needed)."""

from __future__ import annotations

import asyncio
import time

import pytest

from pressroom.sources.fetch import guard
from pressroom.sources.fetch.client import Fetcher, FetchRequest, FetchSession, Timeouts
from pressroom.sources.fetch.hosts import HostLimit, Hosts
from tests.sources.server import LoopbackServer, RequestHandler

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def fetch(url: str, **options) -> object:
    async def go():
        async with Fetcher(**options) as f:
            return await f.fetch(FetchRequest(url))

    return asyncio.run(go())


def test_conditional_request_costs_a_304(server):
    route = server.add("/f.xml", FEED)
    first = fetch(server.url("/f.xml"))
    assert first.ok and first.body == FEED and first.etag == route.etag

    async def again():
        async with Fetcher() as f:
            return await f.fetch(FetchRequest(server.url("/f.xml"), etag=first.etag))

    second = asyncio.run(again())
    assert second.not_modified and second.body is None
    assert server.hits[-1].headers["If-None-Match"] == route.etag


def test_gzip_and_brotli_bodies_are_decoded(server):
    server.add("/f.xml", FEED * 50)
    result = fetch(server.url("/f.xml"))
    assert result.body == FEED * 50
    assert result.headers["content-encoding"] == "br"  # we asked for br, gzip, deflate
    assert server.hits[-1].body_bytes < len(FEED * 50)


def test_user_agent_names_pressroom(server):
    server.add("/f.xml", FEED)
    fetch(server.url("/f.xml"))
    assert server.hits[-1].headers["User-Agent"].startswith("Pressroom/")


def test_500s_are_retried_with_backoff_until_success(server):
    calls = []

    def flaky(h: RequestHandler) -> None:
        calls.append(time.monotonic())
        if len(calls) < 3:
            h.reply(500, b"oops", "text/plain")
        else:
            h.reply(200, FEED, "application/xml")

    server.add("/flaky", handler=flaky)
    result = fetch(server.url("/flaky"), backoff_base=0.05)
    assert result.ok and result.attempts == 3
    assert len(calls) == 3


def test_429_with_retry_after_is_honoured(server):
    calls = []

    def limited(h: RequestHandler) -> None:
        calls.append(time.monotonic())
        if len(calls) == 1:
            h.reply(429, b"slow down", "text/plain", {"Retry-After": "1"})
        else:
            h.reply(200, FEED, "application/xml")

    server.add("/limited", handler=limited)
    result = fetch(server.url("/limited"))
    assert result.ok
    assert calls[1] - calls[0] >= 0.95  # waited as asked, not the short backoff


def test_a_long_retry_after_gives_up_and_reports_it(server):
    server.add("/busy", b"", status=503, headers={"Retry-After": "3600"}, validators=False)
    result = fetch(server.url("/busy"))
    assert not result.ok and result.retry_after == 3600 and result.attempts == 1


def test_redirects_are_followed_and_loops_refused(server):
    server.add("/a", status=301, headers={"Location": "/b"}, validators=False)
    server.add("/b", FEED)
    ok = fetch(server.url("/a"))
    assert ok.ok and ok.final_url == server.url("/b")
    server.add("/loop1", status=302, headers={"Location": "/loop2"}, validators=False)
    server.add("/loop2", status=302, headers={"Location": "/loop1"}, validators=False)
    loop = fetch(server.url("/loop1"))
    assert not loop.ok and "redirect loop" in loop.error
    assert len(server.hits_for("/loop")) == 2  # not retried: no retry can fix a loop
    for i in range(8):
        server.add(
            f"/chain{i}", status=302, headers={"Location": f"/chain{i + 1}"}, validators=False
        )
    chain = fetch(server.url("/chain0"))
    assert "more than 5 redirects" in chain.error


def test_slow_drip_is_cut_off_by_the_total_deadline(server):
    def drip(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/xml")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(60):
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(0.2)  # always under the read timeout, never finishing

    server.add("/drip", handler=drip)
    started = time.monotonic()
    result = fetch(server.url("/drip"), retries=0, timeouts=Timeouts(1, 1, 2))
    assert not result.ok and "timed out after 2 s" in result.error
    assert time.monotonic() - started < 5


def test_a_one_gigabyte_body_is_refused_without_being_read(server):
    sent = []

    def huge(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/xml")
        h.send_header("Connection", "close")
        h.end_headers()  # no Content-Length: the size is only known by reading
        chunk = b"<item>" + b"x" * 65530
        try:
            for _ in range((1 << 30) // len(chunk) + 1):  # 1 GiB, generated as it goes
                h.wfile.write(chunk)
                sent.append(len(chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass

    server.add("/huge", handler=huge)
    server.add(
        "/huge-declared",
        handler=lambda h: (
            h.send_response(200),
            h.send_header("Content-Length", str(1 << 30)),
            h.end_headers(),
            h.wfile.write(b"<" * 1000),
        ),
    )
    result = fetch(server.url("/huge"), max_bytes=1_000_000, retries=0)
    assert not result.ok and "over the 1,000,000 byte limit" in result.error
    assert sum(sent) < 200_000_000  # the server was stopped long before 1 GiB
    declared = fetch(server.url("/huge-declared"), max_bytes=1_000_000, retries=0)
    assert "1,073,741,824 bytes is over" in declared.error


def test_robots_txt_is_obeyed(server):
    server.add(
        "/robots.txt", "User-agent: Pressroom\nDisallow: /private/\n", content_type="text/plain"
    )
    server.add("/private/feed.xml", FEED)
    server.add("/public/feed.xml", FEED)
    assert "robots.txt" in fetch(server.url("/private/feed.xml")).error
    assert fetch(server.url("/public/feed.xml")).ok
    assert not server.hits_for("/private")


def test_robots_txt_5xx_means_stay_away_and_404_means_welcome(server):
    server.add("/robots.txt", b"", status=503, validators=False)
    server.add("/f.xml", FEED)
    assert "disallows" in fetch(server.url("/f.xml"), retries=0).error
    del server.routes["/robots.txt"]
    assert fetch(server.url("/f.xml")).ok


def test_per_host_concurrency_limit_holds(server):
    def slow(h: RequestHandler) -> None:
        time.sleep(0.2)
        h.reply(200, FEED, "application/xml")

    for i in range(10):
        server.add(f"/s{i}", handler=slow)
    with FetchSession(hosts=Hosts({"*": HostLimit(2, 0)})) as session:
        for i in range(10):
            session.submit(FetchRequest(server.url(f"/s{i}")), i)
        results = dict(session.results())
    assert all(r.ok for r in results.values())
    assert server.max_in_flight == 2


def test_per_host_rate_limit_spaces_requests(server):
    server.add("/r", FEED, validators=False)
    started = time.monotonic()
    with FetchSession(hosts=Hosts({"*": HostLimit(4, 10.0)})) as session:
        for i in range(11):
            session.submit(FetchRequest(server.url("/r")), i)
        list(session.results())
    assert time.monotonic() - started >= 0.95  # 11 starts at 10 per second (robots.txt first)


def test_circuit_breaker_stops_hammering_a_failing_host(server):
    server.add("/down", b"", status=500, validators=False)
    with FetchSession(hosts=Hosts({"*": HostLimit(1, 0)}, breaker=(3, 60)), retries=0) as s:
        results = [s.fetch(FetchRequest(server.url("/down"))) for _ in range(6)]
    assert [r.error for r in results[:3]] == ["HTTP 500"] * 3
    assert all("circuit open" in r.error for r in results[3:])
    assert len(server.hits_for("/down")) == 3


def test_one_slow_host_does_not_hold_up_another():
    slow, fast = LoopbackServer().start(), LoopbackServer("127.0.0.2").start()
    try:
        slow.add("/f", handler=lambda h: (time.sleep(1.5), h.reply(200, FEED, "application/xml")))
        fast.add("/f", FEED)
        order = []
        with FetchSession() as session:
            session.submit(FetchRequest(slow.url("/f")), "slow")
            session.submit(FetchRequest(fast.url("/f")), "fast")
            for tag, result in session.results():
                order.append(tag)
                assert result.ok
        assert order == ["fast", "slow"]
    finally:
        slow.stop()
        fast.stop()


# -- the private-address guard, tested with loopback addresses only ---------------------------


def test_loopback_is_refused_unless_allowed(server, monkeypatch):
    monkeypatch.setenv("PRESSROOM_FETCH_ALLOW_PRIVATE", "0")
    server.add("/f.xml", FEED)
    for host in ("127.0.0.1", "localhost"):
        result = fetch(f"http://{host}:{server.server_address[1]}/f.xml")
        assert "private, loopback or link-local" in result.error
    assert server.hits == []  # not even robots.txt


def test_guard_applies_after_a_redirect(monkeypatch):
    """127.0.0.2 plays a public host, 127.0.0.1 the private one it redirects to."""
    public, private = LoopbackServer("127.0.0.2").start(), LoopbackServer("127.0.0.1").start()
    try:
        monkeypatch.setattr(guard, "is_public", lambda address: address == "127.0.0.2")
        private.add("/secret", b"secret")
        public.add(
            "/go", status=302, headers={"Location": private.url("/secret")}, validators=False
        )
        result = fetch(public.url("/go"), allow_private=False)
        assert "127.0.0.1" in result.error and "private" in result.error
        assert private.hits == []
        assert [h.path for h in public.hits] == ["/robots.txt", "/go"]
    finally:
        public.stop()
        private.stop()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("8.8.8.8", True),
        ("2001:4860::1", True),
    ],
)
def test_address_classes(address, public):
    """Only classifies addresses; nothing is sent anywhere."""
    assert guard.is_public(address) is public
