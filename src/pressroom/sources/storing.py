"""Write web candidates under one ``IngestRun``: a feed's items in one transaction.

The same ``ArticleWriter`` as ``pressroom ingest``, so every de-duplication rule
applies, and the same batching: the items of one feed are decided and written
together (``write_many``), which costs a fraction of one transaction per item. A
conflict with a concurrent writer (a unique key taken meanwhile, a deadlock) sends
the batch back one item per transaction, each retried; the run's counters change in
the same transaction as the rows they count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from pressroom.pipeline.candidate import Candidate
from pressroom.pipeline.writer import ArticleWriter, Outcome
from pressroom.store.models import Article, IngestRun, Sighting

TRIES = 5


@dataclass(frozen=True)
class WebItem:
    """A candidate and the further sections its source files it under."""

    candidate: Candidate
    more_sections: list[str] = field(default_factory=list)


class WebStore:
    def __init__(self, inputs: str) -> None:
        self.run = IngestRun.objects.create(inputs=inputs[:10_000])
        self.writer = ArticleWriter(run=self.run)
        self.counts: Counter[str] = Counter()

    def write(
        self, c: Candidate, more_sections: list[str] | None = None
    ) -> tuple[Outcome, Article]:
        """One candidate; returns its outcome and the article it landed in."""
        return self.write_many([WebItem(c, more_sections or [])])[0]

    def write_many(self, items: list[WebItem]) -> list[tuple[Outcome, Article]]:
        """Candidates in order, as if written one by one; all in one transaction if they can."""
        if not items:
            return []
        try:
            return self._write_in_one_transaction(items)
        except (IntegrityError, OperationalError):
            self.writer.forget()
            if len(items) == 1:
                return self._retried(items[0])
        return [self._retried(item)[0] for item in items]

    def _retried(self, item: WebItem) -> list[tuple[Outcome, Article]]:
        """One item per transaction; a lost race is retried, since the winner is now visible."""
        for attempt in range(TRIES):
            try:
                return self._write_in_one_transaction([item])
            except (IntegrityError, OperationalError):
                self.writer.forget()
                if attempt == TRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _write_in_one_transaction(self, items: list[WebItem]) -> list[tuple[Outcome, Article]]:
        with transaction.atomic():
            written = self.writer.write_many([item.candidate for item in items])
            results = []
            for item, w in zip(items, written, strict=True):
                article = w.article or self._stored_article(item.candidate)
                if item.more_sections:
                    self.writer.add_sections(article, item.more_sections)
                results.append((w.outcome, article))
            counts = Counter(outcome.value for outcome, _ in results)
            IngestRun.objects.filter(pk=self.run.pk).update(
                items=F("items") + len(results), **{k: F(k) + n for k, n in counts.items()}
            )
        self.counts.update(counts)
        return results

    @staticmethod
    def _stored_article(c: Candidate) -> Article:
        """The article an unchanged copy (seen before) belongs to."""
        return Article.objects.get(
            id=Sighting.objects.filter(key=c.sighting_key).values("article_id")[:1]
        )

    def note_error(self, message: str) -> None:
        """Kept in memory; written with the run's end."""
        self.run.errors = (self.run.errors + message + "\n")[-100_000:]

    def finish(self, error: str | None = None) -> None:
        run = self.run
        run.finished_at = timezone.now()
        run.status = IngestRun.Status.FAILED if error else IngestRun.Status.DONE
        if error:
            run.errors = (run.errors + error + "\n")[-100_000:]
        run.save(update_fields=["finished_at", "status", "errors"])
