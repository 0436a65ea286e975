"""Ingest listing text: parse, match and store, in small transactions, with a run log.

Items are written in batches, one transaction each, so an ingest killed at any
moment leaves whole batches behind and running it again finishes the job (every
copy has a unique sighting key, so nothing is stored twice). A batch that hits a
conflict with a concurrent writer is retried one item per transaction.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from pressroom.parsing.listing import ListingItem, RejectedItem, parse_listing
from pressroom.pipeline.candidate import Candidate, from_listing_item
from pressroom.pipeline.writer import ArticleWriter, Outcome
from pressroom.store.models import IngestRun, QuarantinedItem

log = logging.getLogger(__name__)

Parsed = ListingItem | RejectedItem
Progress = Callable[[], None]


@dataclass
class IngestReport:
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = [f"{self.counts[o.value]} {o.value}" for o in Outcome]
        return f"{self.items} items: " + ", ".join(parts)


def default_batch_size() -> int:
    """Bigger batches mean fewer commits, look-ups and FTS5 segments, but hold the write lock
    longer and more items in memory. SQLite: 1,000 items, transactions of about 1.5 s; 9 %
    less CPU per item than 500 for 25 MiB more peak memory (docs/benchmarks.md)."""
    return 1000 if connection.vendor == "sqlite" else 100


class Ingester:
    """Feeds parsed items of one or more inputs into the store under one ``IngestRun``."""

    def __init__(self, inputs: str = "", batch_size: int | None = None) -> None:
        self.run = IngestRun.objects.create(inputs=inputs[:10_000])
        self.writer = ArticleWriter(run=self.run)
        self.batch_size = batch_size or default_batch_size()
        self.report = IngestReport()

    def ingest_lines(
        self,
        lines: Iterable[str],
        input_name: str,
        default_section: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        parsed = parse_listing(lines, default_section=default_section)
        for batch in _batches(parsed, self.batch_size):
            counts = self._write_batch(batch, input_name)
            self.report.counts.update(counts)
            if progress:
                progress()

    def note_error(self, message: str) -> None:
        """An input that could not be read: the run goes on, and ends as failed."""
        self.run.errors = (self.run.errors + message + "\n")[:100_000]

    def finish(self, error: str | None = None) -> IngestReport:
        """Close the run log; it is failed if anything went wrong on the way."""
        if error:
            self.note_error(error)
        run = self.run
        run.finished_at = timezone.now()
        run.status = IngestRun.Status.FAILED if run.errors else IngestRun.Status.DONE
        run.save(update_fields=["finished_at", "status", "errors"])
        return self.report

    # -- batches ------------------------------------------------------------------------------

    def _write_batch(self, batch: list[Parsed], input_name: str) -> Counter[str]:
        work = [_prepare(p, input_name) for p in batch]
        try:
            return self._write_in_one_transaction(work, input_name)
        except (IntegrityError, OperationalError) as exc:
            # A writer outside the batch lock got there first (or a deadlock was broken):
            # redo the batch one item per transaction, which always converges.
            log.info("batch conflict (%s); retrying item by item", exc.__class__.__name__)
            self.writer.forget()
        total: Counter[str] = Counter()
        for w in work:
            total.update(self._write_alone(w, input_name))
        return total

    def _write_alone(
        self, w: Candidate | RejectedItem, input_name: str, tries: int = 5
    ) -> Counter[str]:
        """One item per transaction; a lost race is retried, since the winner is now visible."""
        for _attempt in range(tries - 1):
            try:
                return self._write_in_one_transaction([w], input_name)
            except (IntegrityError, OperationalError):
                self.writer.forget()
        return self._write_in_one_transaction([w], input_name)

    def _write_in_one_transaction(
        self, work: list[Candidate | RejectedItem], input_name: str
    ) -> Counter[str]:
        with transaction.atomic():
            counts: Counter[str] = Counter()
            for item in work:
                if isinstance(item, RejectedItem):
                    _quarantine(item, input_name, self.run)
                    counts[Outcome.REJECTED.value] += 1
            candidates = [w for w in work if isinstance(w, Candidate)]
            if candidates:
                counts.update(w.outcome.value for w in self.writer.write_many(candidates))
            self._count(counts)
        return counts

    def _count(self, counts: Counter[str]) -> None:
        """Keep the run's counters in the same transaction as the rows they count."""
        increments = {name: F(name) + n for name, n in counts.items()}
        IngestRun.objects.filter(pk=self.run.pk).update(
            items=F("items") + sum(counts.values()), **increments
        )


def _prepare(p: Parsed, input_name: str) -> Candidate | RejectedItem:
    if isinstance(p, RejectedItem):
        return p
    try:
        return from_listing_item(p, input_name)
    except ValueError as exc:  # e.g. a title or URL the store cannot hold
        return RejectedItem(p.line, p.end_line, p.raw[:65536], f"invalid item: {exc}", p.section)


def _quarantine(item: RejectedItem, input_name: str, run: IngestRun) -> None:
    key = hashlib.blake2b(
        f"{item.reason}\x00{item.raw}".encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()
    QuarantinedItem.objects.get_or_create(
        key=key,
        defaults={
            "run": run,
            "input_name": input_name[:1000],
            "line": item.line,
            "end_line": item.end_line,
            "section_name": (item.section or "")[:120],
            "raw": item.raw,
            "reason": item.reason,
        },
    )


def _batches(items: Iterable[Parsed], size: int) -> Iterator[list[Parsed]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
