"""The reference listing page: sections News and Society, each with the same five stories.

Expected values were read off the page by hand (title line, date line, the ``Source :``
URL glued to the end of the body line), not produced by the parser.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from pressroom.parsing.listing import ListingItem, parse_listing

DATA = Path(
    os.environ.get("PRESSROOM_SHARED_DATA")
    or Path(__file__).resolve().parents[3] / "shared" / "data"
)
PAGE = DATA / "listing" / "000_7fb826408a7a0a54.txt"
GOV = "https://www.gov.kz/memleket/entities"

# (title, source URL or None, first line in the News copy)
STORIES = [
    (
        "Slovenia's global pharmaceutical leaders strengthen strategic partnership with Kazakhstan",
        f"{GOV}/mfa-ljubljana/press/news/details/1154138?lang=kk",
        3,
    ),
    (
        "A Musical Bridge Between Astana and Ljubljana: Classical Music Evening Achieves "
        "Triumphant Success in Slovenia",
        f"{GOV}/mfa-ljubljana/press/news/details/1154140?lang=kk",
        6,
    ),
    (
        "Kazakhstan Representative Participates in the Sessions of the Bureau of the European "
        "Steering Committee for Youth of the Council of Europe",
        f"{GOV}/mfa-strasbourg/press/news/details/1154146?lang=kk",
        9,
    ),
    (
        "Support for the new Constitution was expressed at a meeting held at M. Auezov University",
        None,
        12,
    ),
    ("Socially vulnerable citizens provided with housing in Shymkent", None, 15),
]
SOCIETY_OFFSET = 17  # "Society" and "More" sit on lines 18-19, the copy starts on line 20


@pytest.fixture(scope="module")
def items() -> list[ListingItem]:
    if not PAGE.is_file():
        pytest.fail(f"reference page not found at {PAGE} (set PRESSROOM_SHARED_DATA)")
    with PAGE.open(encoding="utf-8") as lines:
        parsed = list(parse_listing(lines))
    assert all(isinstance(item, ListingItem) for item in parsed)
    return [item for item in parsed if isinstance(item, ListingItem)]


def test_ten_items_five_per_section(items: list[ListingItem]) -> None:
    assert len(items) == 10
    assert [item.section for item in items] == ["News"] * 5 + ["Society"] * 5


@pytest.mark.parametrize("copy", [0, 1], ids=["News", "Society"])
@pytest.mark.parametrize("story", range(5))
def test_story(items: list[ListingItem], copy: int, story: int) -> None:
    title, source_url, news_line = STORIES[story]
    item = items[copy * 5 + story]
    first = news_line + copy * SOCIETY_OFFSET
    assert item.title == title
    assert item.published == datetime.date(2026, 2, 3)
    assert item.source_url == source_url
    assert item.truncated is False
    assert (item.line, item.end_line) == (first, first + 2)
    assert item.lang == "en"
    assert item.page_url is None
    assert len(item.paragraphs) == 1
    assert "Source :" not in item.paragraphs[0]


def test_raw_is_the_three_lines_as_read(items: list[ListingItem]) -> None:
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    for item in items:
        assert item.raw == "\n".join(lines[item.line - 1 : item.end_line])


def test_body_ends_where_the_glued_source_starts(items: list[ListingItem]) -> None:
    assert items[0].paragraphs[0].startswith("Ljubljana, February 2, 2026 – At the meetings")
    assert items[0].paragraphs[0].endswith("530 million euros by the end of 2025.")
    assert items[2].paragraphs[0].endswith("promoted by the Council of Europe.")
    assert items[4].paragraphs[0].endswith("in accordance with the order of priority.")


def test_second_copy_lost_some_characters(items: list[ListingItem]) -> None:
    assert "«AI&Digital Bridge»" in items[0].paragraphs[0]
    assert "«AIDigital Bridge»" in items[5].paragraphs[0]
    assert "people's power" in items[3].paragraphs[0]
    assert "peoples power" in items[8].paragraphs[0]


def test_same_result_from_lines_without_line_breaks(items: list[ListingItem]) -> None:
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    assert list(parse_listing(lines)) == items
