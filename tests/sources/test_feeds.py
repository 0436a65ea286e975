"""The real feeds in shared/data/feeds, served on loopback and crawled through the CLI.

Expected titles come from a reference parse that is not the code under test:
lxml's XML parser with each file's encoding as the data README states it.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from pressroom.sources.models import FetchState, Source
from pressroom.store.models import Article, Sighting
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db(transaction=True)

FEEDS = SHARED_DATA / "feeds"
# From shared/data/README.md: the two files without an XML declaration hold ISO-8859-1.
UNDECLARED_LATIN1 = {"miniflux__no_encoding_ISO-8859-1.xml", "rss-parser__uolNoticias.rss"}
ATOM = "{http://www.w3.org/2005/Atom}"


def _text(value: str | None, html: bool) -> str:
    value = value or ""
    if html and ("<" in value or "&" in value):
        value = lxml.html.fromstring(f"<div>{value}</div>").text_content()
    return re.sub(r"\s+", " ", value).strip()


def reference_titles(path: Path) -> list[str]:
    encoding = "iso-8859-1" if path.name in UNDECLARED_LATIN1 else None
    parser = lxml.etree.XMLParser(encoding=encoding, recover=False, resolve_entities=False)
    root = lxml.etree.fromstring(path.read_bytes(), parser=parser)
    titles = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            el = entry.find(f"{ATOM}title")
            kind = el.get("type", "text") if el is not None else "text"
            raw = "".join(el.itertext()) if el is not None else ""
            titles.append(_text(raw, html=kind == "html"))
    else:  # RSS 0.9x/2.0 (no namespace), RSS 0.90 and 1.0 (RDF, each its own namespace)
        for item in root.iter():
            if isinstance(item.tag, str) and lxml.etree.QName(item).localname == "item":
                el = next((c for c in item if lxml.etree.QName(c).localname == "title"), None)
                titles.append(_text(el.text if el is not None else "", html=True))
    return [t for t in titles if t]


def _sightings(queryset):
    class Seen:
        def __init__(self, raw: str) -> None:
            self.title = raw.split("\n\n")[1]

    return [Seen(raw) for raw in queryset.values_list("raw", flat=True)]


def sighting_titles() -> set[str]:
    return {s.title for s in _sightings(Sighting.objects.all())}


def serve_feeds(server) -> dict[str, str]:
    urls = {}
    for path in sorted(FEEDS.iterdir()):
        route = f"/feeds/{path.name}"
        server.add(route, path.read_bytes(), content_type="application/xml")
        urls[path.name] = server.url(route)
    return urls


def test_reference_parse_agrees_with_the_data_readme():
    counts = {p.name: len(reference_titles(p)) for p in FEEDS.iterdir()}
    assert counts["miniflux__encoding_WINDOWS-1251.xml"] == 50
    assert counts["rss-parser__guardian.rss"] == 55
    assert counts["miniflux__no_encoding_ISO-8859-1.xml"] == 9  # the 10th item is empty
    assert "Цитата #17703" in reference_titles(FEEDS / "miniflux__encoding_WINDOWS-1251.xml")


def test_every_item_of_every_real_feed_is_stored_once_with_its_title(server, cli):
    urls = serve_feeds(server)
    for url in urls.values():
        assert cli("sources", "add", url, "--section", "World").code == 0
    result = cli("crawl", "--once")
    assert result.code == 0, result.err
    expected: set[str] = set()
    total_items = 0
    for name in urls:
        titles = reference_titles(FEEDS / name)
        expected |= set(titles)
        total_items += len(set(titles))
    # every item was read once: its sighting holds its title (URL line, then title)
    assert sighting_titles() == expected
    # and is an article, unless it is a copy of another (ibash.org.ru re-posts a quote
    # under a new number: one article, two sightings, matched as a near copy)
    stored = set(Article.objects.values_list("title", flat=True))
    assert stored <= expected
    merged = Sighting.objects.exclude(match__in=["new", "source"])
    assert {s.title for s in _sightings(merged)} == expected - stored
    # a feed repeating another feed's item adds a sighting, not an article
    assert Sighting.objects.count() >= Article.objects.count()
    keys = list(Article.objects.values_list("source_key", flat=True))
    assert len(keys) == len(set(keys)) and None not in keys
    # provenance: each sighting names the item's URL it was read for
    assert not Sighting.objects.exclude(input_name__startswith="http").exists()
    # a non-English title keeps every letter
    assert Article.objects.filter(title="Mãe de utente é a nova presidente da Raríssimas").exists()
    assert Article.objects.filter(title__startswith="Perturbateurs endocriniens").exists()
    assert all(s.consecutive_failures == 0 for s in Source.objects.all())


def test_second_crawl_adds_nothing_and_transfers_no_bodies(server, cli):
    urls = serve_feeds(server)
    for url in urls.values():
        cli("sources", "add", url)
    cli("crawl", "--once")
    articles, sightings = Article.objects.count(), Sighting.objects.count()
    mark = len(server.hits)
    result = cli("crawl", "--once")
    assert result.code == 0
    second = [h for h in server.hits[mark:] if h.path != "/robots.txt"]
    assert len(second) == len(urls)
    assert {h.status for h in second} == {304}
    assert sum(h.body_bytes for h in second) == 0
    assert (Article.objects.count(), Sighting.objects.count()) == (articles, sightings)
    assert "0 new" in result.out
    assert FetchState.objects.exclude(etag="").count() == len(urls)


RUSSIAN = FEEDS / "miniflux__encoding_WINDOWS-1251.xml"


def russian_variants() -> dict[str, tuple[bytes, str]]:
    """The windows-1251 feed as published, in KOI8-R, and with lying declarations."""
    raw = RUSSIAN.read_bytes()
    text = raw.decode("cp1251")
    koi8 = text.replace('encoding="windows-1251"', 'encoding="KOI8-R"').encode("koi8-r", "replace")
    utf8 = text.replace('encoding="windows-1251"', 'encoding="utf-8"').encode("utf-8")
    return {
        "as-published": (raw, "application/rss+xml"),
        "koi8-r": (koi8, "application/rss+xml"),
        "1251-with-header-saying-koi8-r": (raw, "application/rss+xml; charset=koi8-r"),
        "koi8-r-with-prolog-saying-1251": (
            koi8.replace(b'encoding="KOI8-R"', b'encoding="windows-1251"'),
            "text/xml",
        ),
        "utf-8-with-header-saying-1251": (utf8, "text/xml; charset=windows-1251"),
    }


@pytest.mark.parametrize("variant", list(russian_variants()))
def test_russian_feed_comes_out_right_whatever_its_encoding_claims(server, cli, variant):
    body, content_type = russian_variants()[variant]
    server.add("/ru.xml", body, content_type=content_type)
    cli("sources", "add", server.url("/ru.xml"), "--lang", "ru")
    assert cli("crawl", "--once").code == 0
    assert sighting_titles() == set(reference_titles(RUSSIAN))
    sample = Article.objects.get(title="Цитата #17703")
    assert sample.paragraphs[0] == "xxx: есть у кого жаба программер"
    assert Article.objects.filter(lang="ru").count() == Article.objects.count() >= 49
