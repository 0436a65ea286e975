"""Exact fingerprint and title key: which differences count, on made-up and on real text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from pressroom.pipeline.fingerprint import (
    exact_fingerprint,
    normalize_for_fingerprint,
    title_key,
    words,
)

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
HEX32 = re.compile(r"[0-9a-f]{32}")


def data_file(relative: str) -> Path:
    path = DATA / relative
    if not path.is_file():
        pytest.fail(f"test data not found: {path} (set PRESSROOM_SHARED_DATA)")
    return path


@pytest.mark.parametrize(
    "variant",
    [
        "Slovenia's «AI&Digital Bridge»",
        "Slovenias «AIDigital Bridge»",
        "slovenias AI Digital bridge",
        "Slovenia’s “AI & Digital Bridge”",
        'Slovenia`s "AI-Digital Bridge"',
        "Sloveniaʼs — AI–Digital\tBridge\n",
        "SLOVENIA'S AI/DIGITAL BRIDGE!",
    ],
)
def test_punctuation_apostrophes_ampersand_dashes_quotes_and_spaces_do_not_count(
    variant: str,
) -> None:
    assert normalize_for_fingerprint(variant) == "sloveniasaidigitalbridge"
    assert title_key(variant) == title_key("Slovenia's «AI&Digital Bridge»")
    assert exact_fingerprint(variant, ["Body."]) == exact_fingerprint(
        "slovenias ai digital bridge", ["body"]
    )


def test_letters_and_digits_do_count() -> None:
    assert normalize_for_fingerprint("Budget 2024") != normalize_for_fingerprint("Budget 2025")
    assert normalize_for_fingerprint("tax cut") != normalize_for_fingerprint("tax cuts")


def test_cyrillic_is_case_folded_and_kept() -> None:
    upper = "ҚАЗАҚСТАН РЕСПУБЛИКАСЫНЫҢ ПРЕЗИДЕНТІ «Ақорда»"
    lower = "қазақстан республикасының президенті ақорда"
    assert normalize_for_fingerprint(upper) == normalize_for_fingerprint(lower)
    assert normalize_for_fingerprint(lower) == lower.replace(" ", "")
    assert normalize_for_fingerprint("Ещё в Астане") == normalize_for_fingerprint("еще в астане")
    assert normalize_for_fingerprint("мир") != normalize_for_fingerprint("мор")


def test_nfkc_folds_compatibility_forms() -> None:
    assert normalize_for_fingerprint("ＡＩ＆Ｄｉｇｉｔａｌ") == "aidigital"  # full-width
    assert normalize_for_fingerprint("ﬁnance") == "finance"  # ligature
    assert normalize_for_fingerprint("𝐇𝐞𝐥𝐥𝐨 ①") == "hello1"  # beyond the BMP, circled digit
    assert normalize_for_fingerprint("Cafe\u0301") == normalize_for_fingerprint("Café")
    # Letters beyond the BMP stay (CJK extension B); emoji are not letters.
    assert normalize_for_fingerprint("𠀀𠀁 😀, x") == "𠀀𠀁x"


def test_combining_marks_of_brahmic_scripts_are_kept() -> None:
    # Python's \w would drop Tamil and Sinhala vowel signs and split the words.
    assert words("தமிழ் நாடு") == ["தமிழ்", "நாடு"]
    assert normalize_for_fingerprint("கலை") != normalize_for_fingerprint("கல")
    # A zero-width joiner inside a Sinhala conjunct is kept by some copies only.
    assert normalize_for_fingerprint("ශ්\u200dරී ලංකා") == normalize_for_fingerprint("ශ්රී ලංකා")


def test_paragraph_breaks_do_not_count_but_the_title_boundary_does() -> None:
    one = exact_fingerprint("Title", ["First sentence. Second sentence."])
    assert exact_fingerprint("Title", ["First sentence.", "Second sentence."]) == one
    assert exact_fingerprint("Title", ["First sentence.\n\nSecond  sentence."]) == one
    assert exact_fingerprint("ab", ["c"]) != exact_fingerprint("a", ["bc"])


def test_digest_format_and_domain_separation() -> None:
    fp = exact_fingerprint("Title", ["Body"])
    assert HEX32.fullmatch(fp)
    assert HEX32.fullmatch(title_key("Title"))
    assert title_key("Title") != exact_fingerprint("Title", [])
    assert title_key("") == title_key("«—»")  # nothing to key on: one constant key


def test_fingerprints_are_stable() -> None:
    """Stored fingerprints depend on these exact values: changing them needs a migration."""
    assert exact_fingerprint("Slovenia's «AI&Digital Bridge»", ["Ljubljana, 2026."]) == (
        exact_fingerprint("slovenias aidigital bridge", ["ljubljana 2026"])
    )
    assert exact_fingerprint("Title", ["Body"]) == "ca51fc7ddf64ca68238f2c5f7804196c"
    assert title_key("Title") == "db234dc4a6e379525dbb2b7d24744296"


def _listing_sections(text: str) -> dict[str, list[tuple[str, str]]]:
    """The reference page: a heading, "More", then (title, date, body) triples."""
    lines = [line for line in text.splitlines() if line.strip()]
    sections: dict[str, list[tuple[str, str]]] = {}
    items: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i + 1] == "More":
            items = sections.setdefault(lines[i], [])
            i += 2
            continue
        title, date, body = lines[i : i + 3]
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", date)
        items.append((title, body))
        i += 3
    return sections


def test_reference_page_copies_with_lost_ampersands_and_apostrophes_match() -> None:
    text = data_file("listing/000_7fb826408a7a0a54.txt").read_text(encoding="utf-8")
    sections = _listing_sections(text)
    news, society = sections["News"], sections["Society"]
    assert len(news) == len(society) == 5
    assert news != society  # the second copy really lost characters
    for (t1, b1), (t2, b2) in zip(news, society, strict=True):
        assert exact_fingerprint(t1, [b1]) == exact_fingerprint(t2, [b2])
        assert title_key(t1) == title_key(t2)
    assert len({exact_fingerprint(t, [b]) for t, b in news}) == 5


def test_real_releases_with_one_title_and_different_bodies_get_different_fingerprints() -> None:
    by_title: dict[str, list[dict[str, str]]] = {}
    with data_file("corpora/lk_pmd_press_releases.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            by_title.setdefault(record["title"], []).append(record)
    same_title = [group for group in by_title.values() if len(group) > 1]
    assert len(same_title) >= 10  # "Acting Ministers Appointed", "New Year Message", ...
    for a, b, *_ in same_title:
        assert title_key(a["title"]) == title_key(b["title"])
        assert exact_fingerprint(a["title"], a["body"].split("\n\n")) != exact_fingerprint(
            b["title"], b["body"].split("\n\n")
        )
