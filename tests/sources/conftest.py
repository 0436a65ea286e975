"""Fixtures for the source tests: a loopback server, fast fetch settings, a gov.kz-shaped host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sources.server import LoopbackServer


@pytest.fixture(autouse=True)
def fetch_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback servers are private addresses: allow them, and keep every wait short."""
    monkeypatch.setenv("PRESSROOM_FETCH_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("PRESSROOM_FETCH_HOST_LIMITS", "*=2/0")
    monkeypatch.setenv("PRESSROOM_FETCH_TIMEOUTS", "2/4/6")
    monkeypatch.setenv("PRESSROOM_FETCH_RETRIES", "2")
    monkeypatch.setenv("PRESSROOM_FETCH_BREAKER", "50/60")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sends anything (not even a DNS query) beyond loopback: the real feeds link
    to real sites, and those links must fail here as blocked, never be looked up."""
    from pressroom.sources.fetch import guard

    real = guard.resolve_checked

    async def loopback_resolve(host: str, port: int, allow_private: bool) -> str:
        if host not in ("localhost", "::1", "[::1]") and not host.startswith("127."):
            raise guard.BlockedAddress(f"{host}: tests fetch loopback addresses only")
        return await real(host, port, allow_private)

    monkeypatch.setattr(guard, "resolve_checked", loopback_resolve)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer().start()
    yield s
    s.stop()
