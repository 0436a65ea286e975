"""Killed ingests and concurrent ingests leave the store as one clean sequential run would."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import export_rows
from tests.listing_text import Item, page

SECTIONS = ["News", "Society", "World", "Politics"]


def bbc_items(shared_data: Path, start: int, stop: int) -> list[Item]:
    """BBC articles, minus those that are near copies of each other (the corpus has some):
    which of two near copies is kept depends on arrival order, so these tests avoid them."""
    from pressroom.pipeline import minhash

    items, seen_bands = [], set()
    with open(shared_data / "corpora" / "bbc_news.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if start <= i < stop:
                rec = json.loads(line)
                body = [" ".join(p.split()) for p in rec["body"].split("\n\n") if p.strip()]
                bands = set(minhash.band_keys(minhash.signature(rec["title"] + "\n" + rec["body"])))
                if bands & seen_bands:
                    continue
                seen_bands |= bands
                items.append(Item(rec["title"], body, date=f"{1 + i % 28:02d}.01.2026"))
    return items


def stripped(item: Item) -> Item:
    """The kind of copy the reference page has: ampersands and apostrophes lost."""
    strip = str.maketrans("", "", "&'’")
    return Item(item.title.translate(strip), [p.translate(strip) for p in item.body], item.date)


def write_input(path: Path, own: list[Item], copies_of: list[Item], section: str) -> Path:
    """Its own stories, plus stripped copies of another input's stories under another section."""
    text = page((section, own)) + page((SECTIONS[-1], [stripped(i) for i in copies_of]))
    path.write_text(text, encoding="utf-8")
    return path


def comparable(rows: list[dict]) -> list[tuple]:
    return sorted(
        (r["title"], r["body"], tuple(r["sections"]), r["copies"], r["versions"]) for r in rows
    )


def clear_store() -> None:
    from pressroom.store.models import Article, IngestRun, QuarantinedItem, Section

    Article.objects.all().delete()
    Section.objects.all().delete()
    IngestRun.objects.all().delete()
    QuarantinedItem.objects.all().delete()


def assert_consistent() -> None:
    from pressroom.store.models import Article, Fingerprint, Sighting

    assert not Article.objects.filter(sightings__isnull=True).exists()
    assert Fingerprint.objects.count() >= Article.objects.count()
    for a in Article.objects.all():
        assert Fingerprint.objects.filter(value=a.fingerprint, article=a).exists()
    assert Sighting.objects.values("key").distinct().count() == Sighting.objects.count()


def wait_for(proc, timeout: float = 300):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode()
    return out.decode()


@pytest.mark.slow
def test_sigkill_midway_then_rerun_completes(subprocess_cli, cli, tmp_path, shared_data):
    from pressroom.store.models import IngestRun

    items = bbc_items(shared_data, 0, 1200)
    path = write_input(tmp_path / "in.txt", items, items[::5], "News")

    proc = subprocess_cli("ingest", "--no-progress", "--batch-size", "5", str(path))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run = IngestRun.objects.first()
        if run and run.items >= 200:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    run = IngestRun.objects.get()
    assert 200 <= run.items < len(items) + len(items[::5]), "killed too late to test anything"
    assert_consistent()

    assert cli("ingest", str(path)).code == 0
    assert_consistent()
    after_rerun = comparable(export_rows())

    clear_store()
    assert cli("ingest", str(path)).code == 0
    assert after_rerun == comparable(export_rows())
    assert len(after_rerun) == len(items)


@pytest.mark.slow
def test_ctrl_c_keeps_what_was_stored_and_says_so(subprocess_cli, tmp_path, shared_data):
    from pressroom.store.models import IngestRun

    # Small batches of a large input: the ingest is still running when the signal comes.
    items = bbc_items(shared_data, 0, 1438)
    path = write_input(tmp_path / "in.txt", items, items, "News")
    # As typed at a terminal: SIGINT handled even if this test run was started with it
    # ignored (a shell's background job), which the child would inherit.
    proc = subprocess_cli(
        "ingest",
        "--no-progress",
        "--batch-size",
        "2",
        str(path),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run = IngestRun.objects.first()
        if run and run.items >= 20:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode(errors="replace")[-3000:]
    assert b"interrupted; what was stored so far is kept" in err
    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.FAILED and "interrupted" in run.errors
    assert run.finished_at is not None
    assert_consistent()


@pytest.mark.slow
def test_two_ingests_at_once_equal_one_after_the_other(subprocess_cli, cli, tmp_path, shared_data):
    items = bbc_items(shared_data, 0, 1200)
    first, second = items[: len(items) // 2], items[len(items) // 2 :]
    a = write_input(tmp_path / "a.txt", first, second[::3], "News")
    b = write_input(tmp_path / "b.txt", second, first[::3], "Society")

    procs = [subprocess_cli("ingest", "--no-progress", str(p)) for p in (a, b)]
    for proc in procs:
        wait_for(proc)
    assert_consistent()
    together = comparable(export_rows())

    clear_store()
    assert cli("ingest", str(a)).code == 0
    assert cli("ingest", str(b)).code == 0
    assert together == comparable(export_rows())
    assert len(together) == len(first) + len(second)
    assert sum(row[3] for row in together) == len(first) + len(second) + len(first[::3]) + len(
        second[::3]
    )


@pytest.mark.django_db(transaction=True)
def test_an_interrupt_that_broke_the_connection_is_still_logged(monkeypatch):
    """Ctrl-C inside a database call can leave the connection unusable; the run is still
    marked interrupted (once), on a fresh connection."""
    from django.db import OperationalError

    from pressroom.commands.ingest import _log_interrupt
    from pressroom.pipeline.ingest import Ingester
    from pressroom.store.models import IngestRun

    ingester = Ingester(inputs="x")
    real_finish = ingester.finish
    calls: list[int] = []

    def finish_once_broken() -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("canceling statement due to user request")
        return real_finish()

    monkeypatch.setattr(ingester, "finish", finish_once_broken)
    _log_interrupt(ingester)
    run = IngestRun.objects.get()
    assert len(calls) == 2
    assert run.status == IngestRun.Status.FAILED
    assert run.errors == "interrupted\n"


def test_an_interrupt_that_surfaced_as_another_error_is_an_interrupt():
    from pressroom.commands.ingest import _interrupted

    def cleanup_fails() -> None:
        try:
            raise KeyboardInterrupt
        finally:
            raise FileNotFoundError("tmp file already renamed")

    with pytest.raises(FileNotFoundError) as caught:
        cleanup_fails()
    assert _interrupted(caught.value)
    assert not _interrupted(FileNotFoundError("a real failure"))
    assert _interrupted(KeyboardInterrupt())
