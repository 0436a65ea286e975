"""``pressroom sources ...`` and ``pressroom crawl``: the operator's view."""

from __future__ import annotations

import pytest

from pressroom.sources.models import Source
from pressroom.sources.registry import SourceError, parse_every
from pressroom.store.models import Publisher
from tests.conftest import SHARED_DATA

GUARDIAN = (SHARED_DATA / "feeds" / "rss-parser__guardian.rss").read_bytes()

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_guesses_the_kind_and_keeps_the_options(cli):
    result = cli(
        "sources",
        "add",
        "https://www.gov.kz/memleket/entities/mfa-ljubljana?lang=en",
        "--section",
        "World",
        "--section",
        "Politics",
        "--every",
        "15m",
    )
    assert result.code == 0, result.err
    source = Source.objects.get()
    assert (source.kind, source.slug, source.languages) == ("govkz", "mfa-ljubljana", "kk,ru,en")
    assert source.url == "https://www.gov.kz/memleket/entities/mfa-ljubljana"
    assert source.section_list == ["World", "Politics"]
    assert (source.min_interval, source.interval) == (900, 900)
    assert source.publisher.slug == "mfa-ljubljana" and source.publisher.kind == "embassy"
    assert Publisher.objects.get(slug="mfa").kind == "ministry"
    again = cli("sources", "add", "govkz:mfa-ljubljana")
    assert "already known as source" in again.out and Source.objects.count() == 1


def test_add_refuses_bad_input_clearly(cli):
    assert "not an http(s) URL" in cli("sources", "add", "ftp://example.org/feed").err
    assert "not a two-letter code" in cli("sources", "add", "https://e.org/f", "--lang", "rus").err
    bad = cli("sources", "add", "https://e.org/f", "--every", "soon")
    assert bad.code == 2 and "cannot read interval" in bad.err
    assert Source.objects.count() == 0


def test_list_shows_health_and_disable_stops_polling(server, cli):
    server.add("/ok.xml", GUARDIAN)
    server.add("/down.xml", b"", status=500, validators=False)
    cli("sources", "add", server.url("/ok.xml"))
    cli("sources", "add", server.url("/down.xml"))
    crawl = cli("crawl", "--once")
    assert crawl.code == 1 and "HTTP 500" in crawl.err and "55 new" in crawl.out
    listing = cli("sources", "list").out.splitlines()
    assert any(" ok " in line and "/ok.xml" in line and " 55 " in line for line in listing)
    assert any(" failing " in line and "/down.xml" in line for line in listing)
    assert any("last error:" in line and "HTTP 500" in line for line in listing)
    down = Source.objects.get(url__endswith="/down.xml")
    assert cli("sources", "disable", str(down.id)).code == 0
    assert "/down.xml" not in cli("sources", "list").out
    assert "disabled" in cli("sources", "list", "--all").out
    mark = len(server.hits)
    cli("crawl", "--once")
    assert not [h for h in server.hits[mark:] if h.path == "/down.xml"]
    assert cli("sources", "disable", "999").code == 1


def test_import_opml_and_csv(tmp_path, cli):
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
        <outline text="World"><outline type="rss" text="One" xmlUrl="https://one.example/rss"/>
        <outline type="rss" text="Two" xmlUrl="https://two.example/atom"/></outline>
        </body></opml>""",
        encoding="utf-8",
    )
    result = cli("sources", "import", str(opml))
    assert result.code == 0 and "2 added" in result.out
    assert set(Source.objects.values_list("sections", flat=True)) == {"World"}
    table = tmp_path / "sources.csv"
    table.write_text(
        "url,kind,publisher,section,lang,every\n"
        "https://www.gov.kz/memleket/entities/moa,govkz,,Economics,ru,1h\n"
        "https://one.example/rss,,,,,\n"
        "not a url,feed,,,,\n",
        encoding="utf-8",
    )
    result = cli("sources", "import", str(table))
    assert result.code == 1
    assert "1 added, 1 already known, 1 refused" in result.out
    assert "entry 3" in result.err
    moa = Source.objects.get(slug="moa")
    assert (moa.kind, moa.languages, moa.min_interval, moa.sections) == (
        "govkz",
        "ru",
        3600,
        "Economics",
    )


def test_import_refuses_a_file_it_cannot_read(tmp_path, cli):
    junk = tmp_path / "junk.csv"
    junk.write_text("name,address\nx,y\n", encoding="utf-8")
    result = cli("sources", "import", str(junk))
    assert result.code == 2 and "'url' column" in result.err


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("15m", 900), ("2h", 7200), ("1d", 86400)]
)
def test_every(text, seconds):
    assert parse_every(text) == seconds


def test_every_refuses_nonsense():
    with pytest.raises(SourceError):
        parse_every("often")
