"""Three interface languages: catalogues complete, switcher, hreflang, lang attributes."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.django_db
LOCALE = REPO / "src" / "pressroom" / "locale"


def po_entries(path: Path) -> list[tuple[str, str, list[str]]]:
    """(context, msgid, msgstrs) of every live entry of a .po file."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        if not lines:
            continue
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            match = re.match(r'^(msg\w+(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"'):
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((fields.get("msgctxt", ""), fields["msgid"], strs))
    return entries


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_catalogue_is_complete_and_compiled(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    entries = po_entries(po)
    assert len(entries) > 100
    untranslated = [msgid for _ctx, msgid, strs in entries if not all(strs)]
    assert untranslated == []
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")
    # The committed .mo holds exactly the .po's messages (runtime needs no gettext tools).
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    compiled = {k if isinstance(k, str) else k[0] for k in catalog if k}
    expected = {
        (f"{ctx}\x04{msgid}" if ctx else msgid)
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode()
        for ctx, msgid, _ in entries
    }
    assert expected <= compiled


@pytest.mark.parametrize(
    ("lang", "heading", "more"),
    [("en", "News", "More"), ("ru", "Новости", "Ещё"), ("kk", "Жаңалықтар", "Тағы")],
)
def test_interface_language_comes_from_the_url(client, demo, lang, heading, more):
    page = client.get(f"/{lang}/").content.decode()
    assert f'<html lang="{lang}">' in page
    assert f'<a href="/{lang}/section/news/">{heading}</a></h2>' in page
    assert f">{more}</a></p>" in page
    for code in ("en", "ru", "kk"):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/">' in page
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/en/">' in page


def test_switcher_keeps_the_page_and_query(client, demo):
    page = client.get("/en/section/news/?lang=ru").content.decode()
    switcher = page[
        page.index('class="languages"') : page.index("</nav>", page.index('class="languages"'))
    ]
    assert 'href="/ru/section/news/?lang=ru" hreflang="ru" lang="ru">Русский</a>' in switcher
    assert 'href="/kk/section/news/?lang=ru" hreflang="kk" lang="kk">Қазақша</a>' in switcher
    assert (
        'href="/en/section/news/?lang=ru" hreflang="en" lang="en" aria-current="true">English</a>'
        in switcher
    )


def test_items_carry_their_own_language_and_foreign_ones_are_marked(client, make_article):
    make_article(title="Визит министра", lang="ru")
    make_article(title="English story", lang="en")
    en = client.get("/en/news/").content.decode()
    ru_item = en[en.index("Визит министра") - 200 : en.index("Визит министра") + 600]
    assert 'lang="ru"><a href' in ru_item
    assert '<span class="badge badge--lang">in Russian</span>' in ru_item
    en_item = en[en.index("English story") - 200 : en.index("English story") + 600]
    assert "badge--lang" not in en_item
    ru = client.get("/ru/news/").content.decode()
    en_in_ru = ru[ru.index("English story") : ru.index("English story") + 600]
    assert "на английском" in en_in_ru


@pytest.mark.parametrize(
    ("lang", "date"),
    [("en", "3 February 2026"), ("ru", "3 февраля 2026"), ("kk", "3 ақпан 2026 ж.")],
)
def test_dates_are_written_the_reader_s_way(client, make_article, lang, date):
    article = make_article()
    page = client.get(f"/{lang}/article/{article.pk}/").content.decode()
    assert f'<time datetime="2026-02-03">{date}</time>' in page


def test_article_body_is_marked_with_the_article_language(client, make_article):
    article = make_article(title="Жаңа мектеп", lang="kk", body="Мектеп ашылды.")
    page = client.get(f"/en/article/{article.pk}/").content.decode()
    assert '<html lang="en">' in page
    assert '<h1 lang="kk">Жаңа мектеп</h1>' in page
    assert '<div class="story__body" lang="kk">' in page


def test_a_very_long_query_is_not_copied_into_every_language_link(client, demo):
    short = client.get("/en/search/?q=Shymkent").content.decode()
    assert 'href="/ru/search/?q=Shymkent"' in short
    long_query = "word " * 1000
    response = client.get("/en/search/", {"q": long_query})
    page = response.content.decode()
    assert 'href="/ru/search/" hreflang="ru"' in page
    # The search page's own links carry the query cut to 1,000 characters; nothing more.
    longest = max(len(href) for href in re.findall(r'href="([^"]*)"', page))
    assert longest < 2_000
