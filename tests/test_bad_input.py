"""Bad input gets a clear error, lands what it can, and never loses what was stored."""

from __future__ import annotations

import gzip

import pytest

from tests.conftest import REAL_PAGES, REFERENCE_PAGE, peak_rss_kib
from tests.listing_text import Item, corpus_texts, page


@pytest.fixture
def stored(cli, shared_data):
    """The reference page is in the store before each bad input arrives."""
    assert cli("ingest", str(REFERENCE_PAGE)).code == 0
    before = cli("export").jsonl()
    assert len(before) == 5
    return before


def assert_nothing_lost(cli, before):
    assert cli("export").jsonl() == before


def test_empty_file(cli, stored, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("ingest", str(empty))
    assert result.code == 1
    assert "empty input" in result.err
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n\n")
    assert "empty input" in cli("ingest", str(blank)).err
    assert_nothing_lost(cli, stored)


def test_binary_file(cli, stored, shared_data):
    gz = next((shared_data / "extraction" / "html").glob("*.html.gz"))
    result = cli("ingest", str(gz))
    assert result.code == 1
    assert "binary data" in result.err or "not text" in result.err
    assert_nothing_lost(cli, stored)


def test_html_instead_of_text(cli, stored, shared_data, tmp_path):
    gz = next((shared_data / "extraction" / "html").glob("*.html.gz"))
    html = tmp_path / "page.html"
    html.write_bytes(gzip.decompress(gz.read_bytes()))
    result = cli("ingest", str(html))
    assert result.code == 1
    assert "HTML" in result.err
    assert_nothing_lost(cli, stored)


def test_missing_file_does_not_stop_the_others(cli, stored, tmp_path):
    result = cli("ingest", str(tmp_path / "nope.txt"), str(REAL_PAGES[0]))
    assert result.code == 1
    assert "cannot open" in result.err
    assert "new" in result.out
    assert len(cli("export").jsonl()) > len(stored)

    from pressroom.store.models import IngestRun

    run = IngestRun.objects.first()
    assert run is not None and run.status == IngestRun.Status.FAILED
    assert "nope.txt: cannot open" in run.errors
    assert run.new > 0


def test_cp1251_text_is_decoded(cli, stored, tmp_path):
    law = next(p for p in REAL_PAGES if p.name == "enbekshiqazaq_kz_en_category_9.txt")
    cp1251 = tmp_path / "law-cp1251.txt"
    cp1251.write_bytes(law.read_text(encoding="utf-8").encode("cp1251"))
    result = cli("ingest", str(cp1251))
    assert result.code == 0, result.err
    assert "decoded as" in result.err
    titles = [a["title"] for a in cli("export").jsonl()]
    assert "Казахстан и Туркменистан расширяют «зеленый коридор» для овощей и фруктов" in titles


def test_impossible_date_is_quarantined_and_the_rest_lands(cli, stored, tmp_path, shared_data):
    (t1, b1), (t2, b2) = corpus_texts(shared_data, 2)
    text = page(("News", [Item(t1, b1, date="31.02.2026"), Item(t2, b2)]))
    path = tmp_path / "dates.txt"
    path.write_text(text, encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.code == 0
    assert "1 rejected" in result.out and "1 new" in result.out

    from pressroom.store.models import QuarantinedItem

    (q,) = QuarantinedItem.objects.all()
    assert "31.02.2026" in q.reason
    assert q.line == 3
    assert q.input_name == str(path)
    assert t1 in q.raw
    titles = [a["title"] for a in cli("export").jsonl()]
    assert t2 in titles and t1 not in titles
    # Quarantine is idempotent too.
    cli("ingest", str(path))
    assert QuarantinedItem.objects.count() == 1


def test_ten_megabyte_line(cli, stored, tmp_path, shared_data):
    (t1, b1), (t2, b2) = corpus_texts(shared_data, 2)
    huge = "x" * (10 * 1024 * 1024)
    text = page(("News", [Item(t1, [*b1, huge]), Item(t2, b2)]))
    path = tmp_path / "long-line.txt"
    path.write_text(text, encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.code == 0
    assert "1 rejected" in result.out
    from pressroom.store.models import QuarantinedItem

    q = QuarantinedItem.objects.get()
    huge_line = 4 + len(b1) + 1  # News, More, title, date, the paragraphs, then the huge one
    assert q.reason == f"line {huge_line} is too long (over 1,000,000 characters)"
    assert q.line == 3
    assert len(q.raw) <= 64 * 1024
    assert t2 in [a["title"] for a in cli("export").jsonl()]


@pytest.mark.slow
def test_200_megabyte_input_streams_in_bounded_memory(subprocess_cli, tmp_path, shared_data):
    """200 MB of real items with over-long lines among them: peak memory is that of a 2 MB input."""
    texts = corpus_texts(shared_data, 80)

    def write(path, chunk_bytes: int, items) -> int:
        """20 items with an over-long line (rejected), 20 good ones (new)."""
        with open(path, "w", encoding="utf-8") as f:
            for (t1, b1), (t2, b2) in zip(items[:20], items[20:], strict=True):
                f.write(page(("News", [Item(t1, [*b1, "y" * chunk_bytes]), Item(t2, b2)])))
        return path.stat().st_size

    def peak(path) -> int:
        proc = subprocess_cli("ingest", "--no-progress", str(path))
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
        assert b"20 new" in out and b"20 rejected" in out
        return peak_rss_kib(err)

    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    assert write(big, 10 * 1024 * 1024, texts[:40]) > 200 * 1000 * 1000
    assert write(small, 1_000_010, texts[40:]) < 25 * 1000 * 1000
    small_peak = peak(small)
    big_peak = peak(big)
    assert big_peak < small_peak * 1.25 + 20 * 1024, (small_peak, big_peak)
