"""Look at stored articles' pages again: edits become versions, 404/410 withdraws.

Each ``Recheck`` is fetched with its validators (an unchanged page is a 304).
For an article whose text came from its page (``method=page``) the page is
extracted again and handed to the writer as the same original (same source
key): a changed text becomes a new ``Version``, while a change the fingerprint
ignores (whitespace, punctuation, an image URL) does not. For an article whose
text came whole from a feed (``method=status``), edits arrive through the feed;
its page is only watched for disappearing. A 404 or 410 sets
``Article.withdrawn_at`` (the article stays); a page that comes back clears it.
Re-checks stop after ``schedule.RECHECK_FOR``.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pressroom.parsing.govkz import parse_govkz_path
from pressroom.parsing.html import drop_leading_title, extract_article
from pressroom.pipeline.candidate import from_web_item
from pressroom.pipeline.writer import Outcome
from pressroom.sources import schedule
from pressroom.sources.fetch.client import FetchRequest, FetchResult, FetchSession
from pressroom.sources.models import Recheck
from pressroom.sources.storing import WebStore
from pressroom.store.models import Article
from pressroom.store.signals import articles_changed

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)


def claim_rechecks(
    ids: list[int] | None = None, limit: int = 200, due_only: bool = True
) -> list[Recheck]:
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    rows = Recheck.objects.filter(done=False).filter(free)
    if ids is not None:
        rows = rows.filter(id__in=ids)
    if due_only:
        rows = rows.filter(next_at__lte=now)
    claimed = []
    for row in rows.select_related("article", "article__publisher").order_by("next_at")[:limit]:
        if Recheck.objects.filter(pk=row.pk).filter(free).update(lease_until=now + LEASE):
            claimed.append(row)
    return claimed


def recheck(rows: list[Recheck], session: FetchSession) -> Counter[str]:
    """Fetch and judge every row; returns counts of what happened."""
    counts: Counter[str] = Counter()
    if not rows:
        return counts
    store = WebStore(inputs="recheck: " + ", ".join(str(r.article_id) for r in rows[:50]))
    for row in rows:
        session.submit(FetchRequest(row.url, row.etag or None, row.last_modified or None), row)
    for row, result in session.results():
        try:
            counts[_judge(row, result, store)] += 1
        except Exception:
            log.exception("recheck of %s failed", row.url)
            counts["error"] += 1
        _reschedule(row, result)
    store.finish()
    return counts


def _judge(row: Recheck, result: FetchResult, store: WebStore) -> str:
    article = row.article
    if result.not_modified:
        return "unchanged"
    if result.gone:
        if article.withdrawn_at is None:
            _mark_withdrawn(article, timezone.now())
        return "withdrawn"
    if not result.ok:
        row.last_error = (result.error or f"HTTP {result.status}")[:2000]
        return "failed"
    row.last_error = ""
    if article.withdrawn_at is not None:
        _mark_withdrawn(article, None)  # the page is back
    if row.method != Recheck.Method.PAGE:
        return "present"
    extracted = extract_article(result.decoded().text, result.final_url)
    if extracted is None:
        return "unreadable"
    title = article.title if row.keep_title or not extracted.title else extracted.title
    candidate = from_web_item(
        title=title,
        paragraphs=drop_leading_title(extracted.paragraphs, title),
        lang=article.lang,
        published=article.published,
        url=row.url,
        input_name=row.url,
        identity=row.url,
        publisher_slug=article.publisher.slug if article.publisher else None,
        govkz=parse_govkz_path(row.url)
        if (article.source_key or "").startswith("govkz:")
        else None,
    )
    if candidate.source_key != article.source_key:
        return "unmatched"  # stored under another identity; never guess
    outcome, _ = store.write(candidate)
    if outcome == Outcome.UPDATED:
        return "edited"
    return "unchanged"


def _mark_withdrawn(article: Article, when: datetime | None) -> None:
    """Set or clear the withdrawal; pages showing the article go stale."""
    with transaction.atomic():
        article.withdrawn_at = when
        article.save(update_fields=["withdrawn_at"])
        articles_changed.send(sender=Article)


def _reschedule(row: Recheck, result: FetchResult) -> None:
    now = timezone.now()
    row.checks += 1
    row.last_checked_at = now
    row.last_status = result.status
    if result.ok:
        row.etag = (result.etag or "")[:500]
        row.last_modified = (result.last_modified or "")[:100]
    row.interval = schedule.next_recheck(row.interval)
    row.next_at = now + timedelta(seconds=row.interval)
    row.done = now - row.article.first_seen > schedule.RECHECK_FOR
    row.lease_until = None
    row.save()
