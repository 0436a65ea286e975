"""gov.kz news URLs and publisher guesses, on slugs seen in the listing pages."""

from __future__ import annotations

import pytest

from pressroom.parsing.govkz import (
    GovKzRef,
    guess_parent_slug,
    guess_publisher_kind,
    parse_govkz_url,
)

CANONICAL = "https://www.gov.kz/memleket/entities/mfa-ljubljana/press/news/details/1154138"


@pytest.mark.parametrize(
    "url",
    [
        f"{CANONICAL}?lang=kk",
        "http://www.gov.kz/memleket/entities/mfa-ljubljana/press/news/details/1154138?lang=kk",
        "https://gov.kz/memleket/entities/mfa-ljubljana/press/news/details/1154138?lang=kk",
        f"{CANONICAL}/?lang=kk",
        f"{CANONICAL}?utm_source=x&lang=kk&page=2",
        f"{CANONICAL}?lang=KK#top",
        f"  {CANONICAL}?lang=kk\n",
        "HTTPS://WWW.GOV.KZ/memleket/entities/MFA-Ljubljana/press/news/details/1154138?lang=kk",
    ],
)
def test_spellings_of_one_url(url: str) -> None:
    ref = parse_govkz_url(url)
    assert ref == GovKzRef(slug="mfa-ljubljana", news_id=1154138, lang="kk")
    assert ref.canonical_url == f"{CANONICAL}?lang=kk"


def test_without_lang() -> None:
    ref = parse_govkz_url("https://www.gov.kz/memleket/entities/water/press/news/details/930918")
    assert ref == GovKzRef(slug="water", news_id=930918, lang=None)
    assert ref.canonical_url == (
        "https://www.gov.kz/memleket/entities/water/press/news/details/930918"
    )


@pytest.mark.parametrize(("lang", "expected"), [("ru", "ru"), ("en", "en"), ("de", None)])
def test_lang_values(lang: str, expected: str | None) -> None:
    ref = parse_govkz_url(f"{CANONICAL}?lang={lang}")
    assert ref is not None and ref.lang == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "ftp://www.gov.kz/memleket/entities/mfa/press/news/details/1",
        "https://www.gov.kz.evil.com/memleket/entities/mfa/press/news/details/1",
        "https://www.akorda.kz/memleket/entities/mfa/press/news/details/1",
        "https://www.gov.kz/memleket/entities/mfa/press/news/details/",
        "https://www.gov.kz/memleket/entities/mfa/press/news/details/12ab",
        "https://www.gov.kz/memleket/entities/mfa/press/news/details/0",
        "https://www.gov.kz/memleket/entities/mfa/press/news",
        "https://www.gov.kz/memleket/entities/mfa/documents/details/1154138",
        "https://www.gov.kz/memleket/entities/mfa-ljub",  # cut off
        "https://[::1/memleket/entities/mfa/press/news/details/1",
    ],
)
def test_not_a_news_url(url: str) -> None:
    assert parse_govkz_url(url) is None


@pytest.mark.parametrize(
    ("slug", "kind"),
    [
        ("mfa", "ministry"),
        ("mfa-ljubljana", "embassy"),
        ("mfa-strasbourg", "embassy"),
        ("moa", "ministry"),
        ("tsm", "ministry"),
        ("water", "ministry"),
        ("almobl", "akimat"),
        ("kostanay", "akimat"),
        ("shymkent", "akimat"),
        ("astana", "akimat"),
        ("almobl-zkh", "department"),
        ("duisalmjetobl", "department"),
        ("zhetysu-archive", "department"),
        ("anticorruption", "agency"),
        ("some-new-body", "other"),
        ("MFA-Ljubljana", "embassy"),
    ],
)
def test_publisher_kind(slug: str, kind: str) -> None:
    assert guess_publisher_kind(slug) == kind


@pytest.mark.parametrize(
    ("slug", "parent"),
    [
        ("almobl-zkh", "almobl"),
        ("mfa-ljubljana", "mfa"),
        ("zhetysu-archive", "zhetysu"),
        ("mfa", None),
        ("duisalmjetobl", None),
        ("some-new-body", None),
        ("almobl-", None),
    ],
)
def test_parent_slug(slug: str, parent: str | None) -> None:
    assert guess_parent_slug(slug) == parent
