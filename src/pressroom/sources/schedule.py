"""When to poll a source next, and when to look at an article again.

Polling adapts to how often a source publishes: with at least two dated items
in the last month the interval is half their average gap (new stories show up
within half a gap on average), otherwise it halves after a poll that found
something new and grows by half after one that did not. It always stays within
the source's ``min_interval``/``max_interval``. Failures back off exponentially
from the shortest interval (or to what ``Retry-After`` asked for). A ±10 %
jitter keeps two thousand sources on one host from falling due together.

Re-checks decay: 10 minutes after an article first appears, then each wait is
2.5 times the last (10 min, 25 min, ~1 h, 2.6 h, 6.5 h, 16 h, 1.7 d, 4 d, 7 d),
capped at a week, and they stop once the article is ``RECHECK_FOR`` old.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from pressroom import config

RECHECK_FIRST = 600
RECHECK_FACTOR = 2.5
RECHECK_CAP = 7 * 86400
RECHECK_FOR = timedelta(days=30)
_RECENT = timedelta(days=30)


def default_intervals() -> tuple[int, int]:
    low, _, high = config.env("PRESSROOM_POLL_INTERVALS").partition("/")
    return int(low), int(high or 86400)


def next_interval(
    current: int,
    found_new: bool,
    item_times: Iterable[datetime],
    now: datetime,
    low: int,
    high: int,
) -> int:
    recent = sorted(t for t in item_times if now - _RECENT <= t <= now + timedelta(hours=1))
    if len(recent) >= 2:
        gap = (recent[-1] - recent[0]).total_seconds() / (len(recent) - 1)
        target = gap / 2
        if found_new:
            target = min(target, current)
    else:
        target = current * (0.5 if found_new else 1.5)
    return int(min(high, max(low, target)))


def failure_interval(failures: int, low: int, high: int, retry_after: float | None) -> int:
    backoff = low * 2 ** min(max(failures - 1, 0), 16)
    if retry_after:
        backoff = max(backoff, int(retry_after))
    return int(min(high, max(low, backoff)))


def jittered(now: datetime, seconds: int) -> datetime:
    return now + timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def next_recheck(interval: int) -> int:
    return int(min(RECHECK_CAP, interval * RECHECK_FACTOR))
