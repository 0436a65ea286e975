"""robots.txt, per host, cached for a day (RFC 9309 rules for errors).

A 4xx answer (no robots.txt) allows everything; a 5xx or a network failure
disallows everything for now (the site may be in trouble; we try again later);
a robots.txt over 500 KiB is read only that far. ``Crawl-delay`` for our agent
slows the host down further than our own rate limit, never speeds it up.
"""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass

ROBOTS_MAX_BYTES = 500 * 1024
ROBOTS_TTL = 24 * 3600.0
ROBOTS_RETRY_AFTER_ERROR = 600.0


@dataclass
class RobotsRules:
    parser: urllib.robotparser.RobotFileParser | None  # None: allow everything
    disallow_all: bool
    fetched_at: float
    ttl: float

    def allows(self, agent: str, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None

    @property
    def fresh(self) -> bool:
        return time.monotonic() - self.fetched_at < self.ttl


def rules_from_response(status: int | None, text: str | None) -> RobotsRules:
    now = time.monotonic()
    if status is None or status >= 500 or status == 429:
        return RobotsRules(None, True, now, ROBOTS_RETRY_AFTER_ERROR)
    if status >= 400 or text is None:
        return RobotsRules(None, False, now, ROBOTS_TTL)
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    return RobotsRules(parser, False, now, ROBOTS_TTL)
