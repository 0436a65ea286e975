"""Write web candidates under one ``IngestRun``, one transaction per item.

The same ``ArticleWriter`` as ``pressroom ingest``, so every de-duplication rule
applies. A conflict with a concurrent writer (a unique key taken meanwhile, a
deadlock) is retried; the run's counters change in the same transaction as the
rows they count.
"""

from __future__ import annotations

from collections import Counter

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from pressroom.pipeline.candidate import Candidate
from pressroom.pipeline.writer import ArticleWriter, Outcome
from pressroom.store.models import Article, IngestRun, Sighting

TRIES = 5


class WebStore:
    def __init__(self, inputs: str) -> None:
        self.run = IngestRun.objects.create(inputs=inputs[:10_000])
        self.writer = ArticleWriter(run=self.run)
        self.counts: Counter[str] = Counter()

    def write(
        self, c: Candidate, more_sections: list[str] | None = None
    ) -> tuple[Outcome, Article]:
        for attempt in range(TRIES):
            try:
                with transaction.atomic():
                    outcome = self.writer.write(c)
                    article = Article.objects.get(
                        id=Sighting.objects.filter(key=c.sighting_key).values("article_id")[:1]
                    )
                    if more_sections:
                        self.writer.add_sections(article, more_sections)
                    IngestRun.objects.filter(pk=self.run.pk).update(
                        items=F("items") + 1, **{outcome.value: F(outcome.value) + 1}
                    )
                self.counts[outcome.value] += 1
                return outcome, article
            except (IntegrityError, OperationalError):
                self.writer.forget()
                if attempt == TRIES - 1:
                    raise
        raise AssertionError("unreachable")

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
