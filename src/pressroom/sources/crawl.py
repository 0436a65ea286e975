"""Poll sources: fetch, parse, store, and keep each source's schedule and health.

All fetches of a round go out at once through one ``FetchSession`` (its host
limits keep that polite) and are handled as each completes, on this thread, so
Django and the writer see one thread and one slow or broken source never holds
up the others. Per source:

- ``feed``: the feed; ``govkz``: its three language feeds
  (``/api/v1/public/rss/{slug}/news/{lang}`` on the source's host);
  ``sitemap``: the sitemap (and the sitemaps an index names); ``page``: the index
  page, whose article links are followed; ``listing``: listing text at a URL or
  a ``file://`` path, read by the listing parser.
- A feed item with its whole story is stored as it is; a teaser (only a summary)
  sends us to its page, extracted with trafilatura. A page we stored once is not
  fetched again by polling: ``Recheck`` looks after it.
- Validators (ETag, Last-Modified) of a feed are kept only when every item of it
  was read; when a page could not be fetched (it will be tried again) or the feed
  was malformed, the next poll reads the feed in full again, so nothing is lost.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pressroom.parsing.feeds import FeedItem, NotAFeed, parse_feed
from pressroom.parsing.govkz import parse_govkz_path
from pressroom.parsing.html import drop_leading_title, extract_article
from pressroom.parsing.language import detect_language
from pressroom.parsing.links import article_links
from pressroom.parsing.sitemap import NotASitemap, parse_sitemap
from pressroom.pipeline.candidate import from_web_item
from pressroom.pipeline.writer import Outcome
from pressroom.sources import schedule
from pressroom.sources.fetch.client import FetchRequest, FetchResult, FetchSession
from pressroom.sources.models import FetchState, Recheck, Source
from pressroom.sources.storing import WebItem, WebStore
from pressroom.store.models import Article

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)
PAGES_PER_POLL = 200  # article pages fetched for one source in one poll, at most
GOVKZ_LANGS = ("kk", "ru", "en")


def govkz_feed_urls(source: Source) -> list[tuple[str, str]]:
    parts = urlsplit(source.url)
    base = f"{parts.scheme}://{parts.netloc}"
    langs = source.language_list or list(GOVKZ_LANGS)
    return [(f"{base}/api/v1/public/rss/{source.slug}/news/{lang}", lang) for lang in langs]


def claim_sources(
    ids: list[int] | None = None, due_only: bool = True, limit: int | None = None
) -> list[Source]:
    """Take a lease on sources to poll, so two crawlers never poll one source at once."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    candidates = Source.objects.filter(enabled=True).filter(free)
    if ids is not None:
        candidates = Source.objects.filter(id__in=ids).filter(free)
    if due_only:
        candidates = candidates.filter(next_poll_at__lte=now)
    claimed = []
    for source in candidates.order_by("next_poll_at", "id")[:limit]:
        if Source.objects.filter(pk=source.pk).filter(free).update(lease_until=now + LEASE):
            claimed.append(source)
    return claimed


@dataclass
class CrawlReport:
    sources: int = 0
    failed: int = 0
    fetches: int = 0
    not_modified: int = 0
    body_bytes: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        stored = ", ".join(f"{self.outcomes[o.value]} {o.value}" for o in Outcome)
        return (
            f"{self.sources} sources ({self.failed} failed), {self.fetches} fetches "
            f"({self.not_modified} not modified, {self.body_bytes:,} body bytes); {stored}"
        )


@dataclass
class _Poll:
    source: Source
    pending: int = 0
    primary: dict[str, FetchResult] = field(default_factory=dict)
    failure: str | None = None
    retry_after: float | None = None
    problems: list[str] = field(default_factory=list)
    incomplete: bool = False
    new: int = 0
    item_times: list[datetime] = field(default_factory=list)
    pages: int = 0
    to_store: list[_Stored] = field(default_factory=list)  # a feed's items, written together


@dataclass(frozen=True)
class _Stored:
    item: WebItem
    url: str | None
    from_page: bool
    keep_title: bool


@dataclass(frozen=True)
class _Job:
    kind: str  # "primary" | "page" | "sitemap"
    poll: _Poll
    url: str
    lang: str | None = None
    item: FeedItem | None = None


class Crawler:
    """Polls a set of sources through one fetch session; call ``poll`` once per round."""

    def __init__(self, session: FetchSession, store: WebStore | None = None) -> None:
        self.session = session
        self.store = store
        self.report = CrawlReport()

    def poll(self, sources: list[Source]) -> CrawlReport:
        if self.store is None:
            self.store = WebStore(inputs="crawl: " + ", ".join(str(s.id) for s in sources))
        self._states = {s.url: s for s in FetchState.objects.filter(source__in=sources)}
        self._unchanged: list[int] = []
        for source in sources:
            self._start(source)
        for job, result in self.session.results():
            try:
                self._handle(job, result)
            except Exception as exc:  # one bad item must not end the round for all
                log.exception("crawl: %s failed", job.url)
                job.poll.problems.append(f"{job.url}: {exc.__class__.__name__}: {exc}")
                job.poll.incomplete = True
            job.poll.pending -= 1
            if job.poll.pending == 0:
                self._finish(job.poll)
        if self._unchanged:  # 304s: one statement for the whole round
            FetchState.objects.filter(id__in=self._unchanged).update(last_fetched_at=timezone.now())
        self.store.finish()
        return self.report

    def _state(self, url: str) -> FetchState | None:
        url = url[:1000]
        if url not in self._states:
            found = FetchState.objects.filter(url=url).first()
            if found is None:
                return None
            self._states[url] = found
        return self._states[url]

    # -- submitting -----------------------------------------------------------------------------

    def _start(self, source: Source) -> None:
        self.report.sources += 1
        poll = _Poll(source)
        if source.kind == Source.Kind.LISTING and source.url.startswith("file://"):
            self._read_local_listing(poll)
            self._finish(poll)
            return
        targets: list[tuple[str, str | None]]
        if source.kind == Source.Kind.GOVKZ:
            targets = list(govkz_feed_urls(source))
        else:
            targets = [(source.url, None)]
        for url, lang in targets:
            self._submit(_Job("primary", poll, url, lang), conditional=True)

    def _submit(self, job: _Job, conditional: bool) -> None:
        etag = last_modified = None
        if conditional:
            state = self._state(job.url)
            if state is not None:
                etag, last_modified = state.etag or None, state.last_modified or None
        job.poll.pending += 1
        self.session.submit(FetchRequest(job.url, etag, last_modified), job)

    # -- handling -------------------------------------------------------------------------------

    def _handle(self, job: _Job, result: FetchResult) -> None:
        self.report.fetches += 1
        self.report.not_modified += result.not_modified
        self.report.body_bytes += len(result.body or b"")
        if job.kind == "page":
            self._handle_page(job, result)
            return
        poll = job.poll
        if job.kind == "primary":
            poll.primary[job.url] = result
        if result.not_modified:
            return
        if not result.ok:
            message = result.error or f"HTTP {result.status}"
            if job.kind == "primary":
                poll.failure = f"{job.url}: {message}"
                poll.retry_after = result.retry_after
            else:
                poll.problems.append(f"{job.url}: {message}")
                poll.incomplete = True
            return
        body_hash = hashlib.blake2b(result.body or b"", digest_size=16).hexdigest()
        state = self._state(job.url)
        if job.kind == "primary" and state is not None and state.body_hash == body_hash:
            return  # the same bytes as last time (a server without validators)
        kind = job.poll.source.kind
        if kind in (Source.Kind.FEED, Source.Kind.GOVKZ):
            self._handle_feed(job, result)
        elif kind == Source.Kind.SITEMAP or job.kind == "sitemap":
            self._handle_sitemap(job, result)
        elif kind == Source.Kind.PAGE:
            self._handle_index(job, result)
        elif kind == Source.Kind.LISTING:
            self._handle_listing(job, result)

    def _handle_feed(self, job: _Job, result: FetchResult) -> None:
        poll = job.poll
        try:
            feed = parse_feed(result.decoded().text, result.final_url)
        except NotAFeed as exc:
            poll.failure = f"{job.url}: {exc}"
            return
        if feed.problem:
            poll.problems.append(f"{job.url}: {feed.problem}")
        source = poll.source
        if feed.title and not source.name:
            source.name = feed.title[:300]
        for item in feed.items:
            if item.published:
                poll.item_times.append(item.published)
            lang = self._lang(source, job.lang, item.lang, item.title, item.paragraphs)
            if item.full_text or not item.link:
                self._store_item(poll, item, lang, page_url=None, now=False)
            elif not self._known_page(item.link):
                self._submit_page(poll, item.link, lang, item)
        self._write(poll)

    def _handle_sitemap(self, job: _Job, result: FetchResult) -> None:
        poll = job.poll
        try:
            sitemap = parse_sitemap(result.body or b"")
        except NotASitemap as exc:
            if job.kind == "primary":
                poll.failure = f"{job.url}: {exc}"
            else:
                poll.problems.append(f"{job.url}: {exc}")
            return
        for child in sitemap.children[:20]:
            self._submit(_Job("sitemap", poll, child.url), conditional=True)
        newest_first = sorted(
            sitemap.pages, key=lambda e: e.lastmod.timestamp() if e.lastmod else 0.0, reverse=True
        )
        for entry in newest_first:
            if entry.lastmod:
                poll.item_times.append(entry.lastmod)
            if not self._known_page(entry.url):
                self._submit_page(poll, entry.url, None, None)

    def _handle_index(self, job: _Job, result: FetchResult) -> None:
        for url in article_links(result.decoded().text, result.final_url):
            if not self._known_page(url):
                self._submit_page(job.poll, url, None, None)

    def _handle_listing(self, job: _Job, result: FetchResult) -> None:
        from pressroom.pipeline.ingest import Ingester

        source = job.poll.source
        ingester = Ingester(inputs=job.url)
        default = source.section_list[0] if source.section_list else None
        ingester.ingest_lines(result.decoded().text.splitlines(), job.url, default_section=default)
        ingester.finish()
        job.poll.new += ingester.report.counts[Outcome.NEW.value]
        self.report.outcomes.update(ingester.report.counts)

    def _read_local_listing(self, poll: _Poll) -> None:
        from pressroom.pipeline.ingest import Ingester
        from pressroom.sources.local import InputError, open_input

        path = poll.source.url.removeprefix("file://")
        try:
            text = open_input(path)
        except InputError as exc:
            poll.failure = str(exc)
            return
        ingester = Ingester(inputs=path)
        try:
            default = poll.source.section_list[0] if poll.source.section_list else None
            ingester.ingest_lines(text.lines(), text.name, default_section=default)
        finally:
            text.close()
            ingester.finish()
        poll.new += ingester.report.counts[Outcome.NEW.value]
        self.report.outcomes.update(ingester.report.counts)

    def _submit_page(self, poll: _Poll, url: str, lang: str | None, item: FeedItem | None) -> None:
        if poll.pages >= PAGES_PER_POLL:
            poll.incomplete = True  # the rest waits for the next poll
            return
        poll.pages += 1
        self._submit(_Job("page", poll, url, lang, item), conditional=False)

    def _handle_page(self, job: _Job, result: FetchResult) -> None:
        poll, item = job.poll, job.item
        self._remember(job.url, poll.source, result, keep_validators=True)
        article = None
        if result.ok and "html" in (result.content_type or "text/html"):
            article = extract_article(result.decoded().text, result.final_url)
        if article is not None:
            title = (item.title if item else None) or article.title or ""
            lang = job.lang or self._lang(
                poll.source,
                None,
                article.lang if item is None else item.lang,
                title,
                article.paragraphs,
            )
            published = (item.published_date if item else None) or article.published
            if title:
                self._store(
                    poll,
                    title,
                    drop_leading_title(article.paragraphs, title),
                    lang,
                    published,
                    job.url,
                    identity=item.identity if item else job.url,
                    from_page=True,
                    keep_title=item is not None,
                )
            return
        final = result.gone or result.ok or result.permanent
        if item is not None and final:
            # the page has no readable article, is gone or may not be fetched: the teaser
            # is all there is
            self._store_item(poll, item, job.lang or self._item_lang(poll, item), page_url=job.url)
        elif not final:
            poll.problems.append(f"{job.url}: {result.error or f'HTTP {result.status}'}")
            poll.incomplete = True  # try again next poll

    def _store_item(
        self, poll: _Poll, item: FeedItem, lang: str, page_url: str | None, now: bool = True
    ) -> None:
        self._store(
            poll,
            item.title,
            item.paragraphs,
            lang,
            item.published_date,
            item.link,
            identity=item.identity,
            from_page=False,
            keep_title=True,
            now=now,
        )

    def _store(
        self,
        poll: _Poll,
        title: str,
        paragraphs: list[str],
        lang: str,
        published: date | None,
        url: str | None,
        identity: str | None,
        from_page: bool,
        keep_title: bool,
        now: bool = True,
    ) -> None:
        """Make the candidate; write it now, or with the rest of its feed (``now=False``)."""
        source = poll.source
        sections = source.section_list
        ref = None
        if source.kind == Source.Kind.GOVKZ and url:
            ref = parse_govkz_path(url)
        try:
            candidate = from_web_item(
                title=title,
                paragraphs=paragraphs,
                lang=lang,
                published=published or timezone.localdate(),
                url=url,
                input_name=url or source.url,
                identity=identity,
                section=sections[0] if sections else None,
                publisher_slug=source.publisher.slug if source.publisher else None,
                govkz=ref,
            )
        except ValueError as exc:
            poll.problems.append(f"{url}: invalid item: {exc}")
            return
        poll.to_store.append(_Stored(WebItem(candidate, sections[1:]), url, from_page, keep_title))
        if now:
            self._write(poll)

    def _write(self, poll: _Poll) -> None:
        """Write the poll's waiting items in one go; new articles get their re-checks."""
        assert self.store is not None
        waiting, poll.to_store = poll.to_store, []
        written = self.store.write_many([s.item for s in waiting])
        for stored, (outcome, article) in zip(waiting, written, strict=True):
            self.report.outcomes[outcome.value] += 1
            if outcome == Outcome.NEW:
                poll.new += 1
                url = stored.url
                if url and url.startswith(("http://", "https://")):
                    schedule_recheck(article, url, stored.from_page, stored.keep_title)

    # -- finishing ------------------------------------------------------------------------------

    def _finish(self, poll: _Poll) -> None:
        with transaction.atomic():  # one commit per source
            self._finish_source(poll)

    def _finish_source(self, poll: _Poll) -> None:
        source, now = poll.source, timezone.now()
        low, high = source.min_interval, source.max_interval
        source.last_polled_at = now
        problem = poll.failure or ("; ".join(poll.problems[:5]) if poll.problems else None)
        if poll.failure is None:
            for url, result in poll.primary.items():
                keep = not poll.incomplete and not poll.problems
                self._remember(url, source, result, keep_validators=keep)
        if poll.failure is not None:
            self.report.failed += 1
            source.consecutive_failures += 1
            source.interval = schedule.failure_interval(
                source.consecutive_failures, low, high, poll.retry_after
            )
        else:
            source.consecutive_failures = (
                0 if not poll.problems else source.consecutive_failures + 1
            )
            source.interval = schedule.next_interval(
                source.interval, poll.new > 0, poll.item_times, now, low, high
            )
            if not poll.problems:
                source.last_success_at = now
        if problem:
            source.last_error, source.last_error_at = problem[:5000], now
            self.report.errors.append(f"source {source.id}: {problem}")
            if self.store:
                self.store.note_error(f"source {source.id}: {problem}")
        if poll.new:
            source.last_new_at = now
            source.items_stored += poll.new
        source.next_poll_at = schedule.jittered(now, source.interval)
        source.lease_until = None
        source.save()

    def _remember(
        self, url: str, source: Source | None, result: FetchResult, keep_validators: bool
    ) -> None:
        """Keep what we learnt about a URL: its validators (when safe to use) and its status."""
        if result.status is None:
            return
        state = self._state(url)
        if result.not_modified and state is not None:
            self._unchanged.append(state.id)
            return
        if state is None:
            state = FetchState(url=url[:1000], source=source)
            self._states[state.url] = state
        state.last_status = result.status
        state.bytes_total += len(result.body or b"")
        if keep_validators and result.ok:
            state.etag = (result.etag or "")[:500]
            state.last_modified = (result.last_modified or "")[:100]
            state.body_hash = hashlib.blake2b(result.body or b"", digest_size=16).hexdigest()
        elif not keep_validators:
            state.etag = state.last_modified = state.body_hash = ""
        state.last_fetched_at = timezone.now()
        state.save()

    def _item_lang(self, poll: _Poll, item: FeedItem) -> str:
        return self._lang(poll.source, None, item.lang, item.title, item.paragraphs)

    def _known_page(self, url: str) -> bool:
        return FetchState.objects.filter(url=url[:1000], last_status=200).exists()

    @staticmethod
    def _lang(
        source: Source, hint: str | None, declared: str | None, title: str, paragraphs: Any
    ) -> str:
        if hint:
            return hint
        langs = source.language_list
        if len(langs) == 1:
            return langs[0]
        if declared:
            return declared
        return detect_language(title + "\n" + "\n".join(paragraphs[:5]))


def schedule_recheck(article: Article, url: str, from_page: bool, keep_title: bool) -> None:
    Recheck.objects.get_or_create(
        article=article,
        defaults={
            "url": url[:1000],
            "method": Recheck.Method.PAGE if from_page else Recheck.Method.STATUS,
            "keep_title": keep_title,
            "next_at": timezone.now() + timedelta(seconds=schedule.RECHECK_FIRST),
            "interval": schedule.RECHECK_FIRST,
        },
    )


def crawl(sources: list[Source], **fetch_options: Any) -> CrawlReport:
    """One round over ``sources`` (already claimed) with a fresh fetch session."""
    with FetchSession(**fetch_options) as session:
        return Crawler(session).poll(sources)
