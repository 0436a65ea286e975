"""The ingest command on the real pages, standard input, and its progress bar."""

from __future__ import annotations

from tests.conftest import REAL_PAGES, REFERENCE_PAGE


def test_every_real_page_ingests_without_error(cli, shared_data):
    from pressroom.parsing.listing import ListingItem, parse_listing

    result = cli("ingest", *map(str, REAL_PAGES))
    assert result.code == 0, result.err
    assert result.err == ""
    for page in REAL_PAGES:
        assert f"{page}: " in result.out
    assert "total: " in result.out and " 0 rejected" in result.out

    from pressroom.store.models import IngestRun, QuarantinedItem, Sighting

    parsed = [
        p
        for page in REAL_PAGES
        for p in parse_listing(page.read_text(encoding="utf-8").splitlines())
        if isinstance(p, ListingItem)
    ]
    assert Sighting.objects.count() == len(parsed)
    assert QuarantinedItem.objects.count() == 0
    run = IngestRun.objects.get()
    assert run.status == "done" and run.items == len(parsed) and run.errors == ""


def test_truncated_items_are_stored_as_truncated(cli, shared_data):
    assert cli("ingest", *map(str, REAL_PAGES)).code == 0
    rows = cli("export").jsonl()
    by_title = {a["title"]: a for a in rows}
    # The home page is cut off in the middle of its only item's body.
    maslenitsa = by_title['Shymkent celebrated the holiday "Maslenitsa - 2026"']
    assert maslenitsa["truncated"] is True
    assert maslenitsa["body"].endswith("The celebr")
    # An item whose Source URL survived whole is complete.
    assert by_title['"The Sky of Bayserke – 2025"']["truncated"] is False
    assert by_title['"The Sky of Bayserke – 2025"']["publisher"] == "almobl"


def test_russian_items_are_marked_russian(cli, shared_data):
    assert cli("ingest", *map(str, REAL_PAGES)).code == 0
    by_title = {a["title"]: a for a in cli("export").jsonl()}
    item = by_title["Казахстан и Туркменистан расширяют «зеленый коридор» для овощей и фруктов"]
    assert item["lang"] == "ru"
    assert item["sections"] == ["Law"]


def test_standard_input(cli, shared_data):
    result = cli("ingest", "-", stdin=REFERENCE_PAGE.read_bytes())
    assert result.code == 0, result.err
    assert result.out.startswith("<stdin>: 10 items") or "<stdin>: " in result.out
    assert len(cli("export").jsonl()) == 5


def test_default_section_for_pages_without_heading(cli, tmp_path, shared_data):
    text = REFERENCE_PAGE.read_text(encoding="utf-8").splitlines()[2:17]  # News items only
    path = tmp_path / "no-heading.txt"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert cli("ingest", "--section", "Politics", str(path)).code == 0
    assert {tuple(a["sections"]) for a in cli("export").jsonl()} == {("Politics",)}


def test_progress_bar_when_asked(cli, shared_data):
    result = cli("ingest", "--progress", "always", str(REFERENCE_PAGE))
    assert result.code == 0
    assert "B/s" in result.err or "kB" in result.err or "%" in result.err
    quiet = cli("ingest", str(REFERENCE_PAGE))
    assert quiet.err == ""


def test_csv_export(cli, tmp_path, shared_data):
    import csv

    assert cli("ingest", str(REFERENCE_PAGE)).code == 0
    out = tmp_path / "articles.csv"
    assert cli("export", "--format", "csv", "-o", str(out)).code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5
    assert {r["sections"] for r in rows} == {"News; Society"}
    assert {r["copies"] for r in rows} == {"2"}


def test_writers_announce_changes_and_only_changes(cli, shared_data):
    """Every writer (ingest here, crawl workers too) tells listeners such as the page cache."""
    from pressroom.store.signals import articles_changed

    calls: list[object] = []

    def listener(sender: object, **_kwargs: object) -> None:
        calls.append(sender)

    articles_changed.connect(listener)
    try:
        assert cli("ingest", str(REFERENCE_PAGE)).code == 0
        assert len(calls) == 1
        assert cli("ingest", str(REFERENCE_PAGE)).code == 0  # nothing new: no announcement
        assert len(calls) == 1
    finally:
        articles_changed.disconnect(listener)
