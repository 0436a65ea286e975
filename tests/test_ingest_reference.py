"""The reference page: five stories, each shown twice, must become five articles."""

from __future__ import annotations

import pytest

from tests.conftest import REFERENCE_PAGE

GOVKZ = "https://www.gov.kz/memleket/entities/{}/press/news/details/{}?lang=kk"

# Read off the page by eye: title, publisher, source id.
EXPECTED = [
    (
        "Slovenia's global pharmaceutical leaders strengthen strategic partnership with Kazakhstan",
        "mfa-ljubljana",
        1154138,
    ),
    (
        "A Musical Bridge Between Astana and Ljubljana: Classical Music Evening Achieves "
        "Triumphant Success in Slovenia",
        "mfa-ljubljana",
        1154140,
    ),
    (
        "Kazakhstan Representative Participates in the Sessions of the Bureau of the European "
        "Steering Committee for Youth of the Council of Europe",
        "mfa-strasbourg",
        1154146,
    ),
    (
        "Support for the new Constitution was expressed at a meeting held at M. Auezov University",
        None,
        None,
    ),
    ("Socially vulnerable citizens provided with housing in Shymkent", None, None),
]


@pytest.fixture
def exported(cli, shared_data):
    result = cli("ingest", str(REFERENCE_PAGE))
    assert result.code == 0, result.err
    assert "5 new, 5 merged" in result.out or "5 new" in result.out
    exported = cli("export", "--format", "jsonl")
    assert exported.code == 0
    return exported.jsonl()


def test_five_stories(exported):
    assert sorted(a["title"] for a in exported) == sorted(t for t, _, _ in EXPECTED)


@pytest.mark.parametrize(("title", "publisher", "source_id"), EXPECTED)
def test_each_story(exported, title, publisher, source_id):
    (article,) = [a for a in exported if a["title"] == title]
    assert article["published"] == "2026-02-03"
    assert article["sections"] == ["News", "Society"]
    assert article["publisher"] == publisher
    assert article["source_id"] == source_id
    assert article["source_url"] == (GOVKZ.format(publisher, source_id) if publisher else None)
    assert article["copies"] == 2
    assert article["versions"] == 0
    assert article["lang"] == "en"
    assert not article["truncated"]


def test_better_text_is_kept(exported):
    bodies = "\n".join(a["body"] for a in exported)
    assert "«AI&Digital Bridge»" in bodies
    assert "AIDigital" not in bodies
    assert "people's" in bodies
    assert "State's" in bodies


def test_body_has_no_source_line(exported):
    for article in exported:
        assert "Source :" not in article["body"]
        assert article["body"].strip()


def test_ingest_is_idempotent(cli, exported):
    again = cli("ingest", str(REFERENCE_PAGE))
    assert again.code == 0
    assert "10 unchanged" in again.out
    assert "0 new" in again.out
    assert cli("export").jsonl() == exported


def test_better_copy_first_or_second_gives_same_result(cli, tmp_path, shared_data):
    """The kept text must not depend on which copy came first."""
    lines = REFERENCE_PAGE.read_text(encoding="utf-8").splitlines()
    society_first = tmp_path / "society_first.txt"
    society_first.write_text("\n".join(lines[17:] + lines[:17]) + "\n", encoding="utf-8")
    assert cli("ingest", str(society_first)).code == 0
    bodies = "\n".join(a["body"] for a in cli("export").jsonl())
    assert "«AI&Digital Bridge»" in bodies
    assert "people's" in bodies
    assert len(cli("export").jsonl()) == 5


def test_publishers_created_with_kinds(exported):
    from pressroom.store.models import Publisher

    ljubljana = Publisher.objects.get(slug="mfa-ljubljana")
    assert ljubljana.kind == Publisher.Kind.EMBASSY
    assert ljubljana.parent is not None and ljubljana.parent.slug == "mfa"
    assert Publisher.objects.get(slug="mfa").kind == Publisher.Kind.MINISTRY


def test_sightings_keep_raw_text_and_place(exported):
    from pressroom.store.models import Sighting

    sightings = Sighting.objects.order_by("line")
    assert sightings.count() == 10
    assert [s.section_name for s in sightings] == ["News"] * 5 + ["Society"] * 5
    assert sightings[0].line == 3
    assert "AI&Digital" in sightings[0].raw
    assert "AIDigital" in sightings[5].raw


def test_run_log(exported):
    from pressroom.store.models import IngestRun

    run = IngestRun.objects.get()
    assert run.status == IngestRun.Status.DONE
    assert (run.items, run.new, run.merged + run.updated, run.rejected) == (10, 5, 5, 0)
