"""Each layout variant of the listing pages, on small inline texts."""

from __future__ import annotations

import datetime
import itertools
import time
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.parsing import listing
from pressroom.parsing.listing import ListingItem, RejectedItem, parse_listing

GOV = "https://www.gov.kz/memleket/entities"
URL_1 = f"{GOV}/mfa-ljubljana/press/news/details/1154138?lang=kk"
URL_2 = f"{GOV}/almobl/press/news/details/1052856?lang=kk"
URL_NO_LANG = f"{GOV}/water/press/news/details/930918"


def parse(text: str, **kwargs: str) -> list[ListingItem | RejectedItem]:
    return list(parse_listing(text.splitlines(keepends=True), **kwargs))


def items(text: str, **kwargs: str) -> list[ListingItem]:
    parsed = parse(text, **kwargs)
    assert all(isinstance(item, ListingItem) for item in parsed), parsed
    return [item for item in parsed if isinstance(item, ListingItem)]


def only(text: str) -> ListingItem:
    (item,) = items(text)
    return item


# -- headings ---------------------------------------------------------------------------


def test_heading_then_more_line() -> None:
    (item,) = items("Regional News\nMore\nA title 03.02.2026\nA body.\n")
    assert item.section == "Regional News"
    assert item.line == 3


def test_heading_and_more_on_one_line() -> None:
    assert only("News More\nA title 03.02.2026\nA body.\n").section == "News"


@pytest.mark.parametrize("name", ["Tourism", "World", "Law", "Economics"])
def test_bare_heading_after_site_name_and_blank_lines(name: str) -> None:
    text = f"Enbekshi QazaQ\n\n{name}\n\nA title 03.02.2026\nA body.\n"
    item = only(text)
    assert (item.section, item.line) == (name, 5)


def test_default_section_until_a_heading() -> None:
    text = "One 03.02.2026\nBody one.\nSociety\nMore\nTwo 03.02.2026\nBody two.\n"
    assert [item.section for item in items(text, default_section="Home")] == ["Home", "Society"]


# -- title and date -----------------------------------------------------------------------


def test_title_and_date_on_separate_lines() -> None:
    item = only("News\nMore\nA title\n03.02.2026\nThe body.\n")
    assert (item.title, item.published) == ("A title", datetime.date(2026, 2, 3))
    assert (item.line, item.end_line) == (3, 5)
    assert item.raw == "A title\n03.02.2026\nThe body."


def test_title_and_date_on_one_line() -> None:
    item = only("World\nShymkent celebrated Maslenitsa 21.02.2026\nThe body.\n")
    assert (item.title, item.published) == (
        "Shymkent celebrated Maslenitsa",
        datetime.date(2026, 2, 21),
    )


def test_all_caps_title_kept_and_stars_stripped() -> None:
    text = (
        "News\n"
        "NEW APPROACHES TO WATER MANAGEMENT 29.09.2025\nBody one.\n"
        "*Kyzylzhar-2 has been connected to the grid* 29.09.2025\nBody two.\n"
    )
    assert [item.title for item in items(text)] == [
        "NEW APPROACHES TO WATER MANAGEMENT",
        "Kyzylzhar-2 has been connected to the grid",
    ]


def test_title_without_date_is_rejected_and_parsing_goes_on() -> None:
    text = f"News\nA title with no date\nIts body.Source : {URL_1}\nNext 03.02.2026\nNext body.\n"
    rejected, item = parse(text)
    assert isinstance(rejected, RejectedItem) and isinstance(item, ListingItem)
    assert "no date" in rejected.reason
    assert (rejected.line, rejected.end_line, rejected.section) == (2, 3, "News")
    assert rejected.raw == f"A title with no date\nIts body.Source : {URL_1}"
    assert (item.title, item.line) == ("Next", 4)


def test_impossible_date_is_rejected_and_parsing_goes_on() -> None:
    text = (
        "URL: https://www.enbekshiqazaq.kz/en\n"
        "LANG: listing\n"
        "\n"
        "News More\n"
        f"First 03.02.2026\nBody one.Source : {URL_1}\n"
        "Bad date 31.02.2026\nBody two, line one.\nBody two, line two.\n"
        f"Third 02.02.2026\nBody three.Source : {URL_2}\n"
    )
    first, bad, third = parse(text)
    assert isinstance(first, ListingItem) and isinstance(third, ListingItem)
    assert isinstance(bad, RejectedItem)
    assert bad.reason == "impossible date 31.02.2026"
    assert (bad.line, bad.end_line, bad.section) == (7, 9, "News")
    assert bad.raw == "Bad date 31.02.2026\nBody two, line one.\nBody two, line two."
    assert (first.line, first.end_line) == (5, 6)
    assert (third.line, third.end_line, third.source_url) == (10, 11, URL_2)


# -- title or body paragraph? ---------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "The competition will be held on 03.02.2026",
        "Applications are accepted until 01.02.2026",
        "Press service of the akimat of Shymkent, 03.02.2026",
        "Documents must be submitted by: 02.02.2026",
        "The plan was approved. The decree was signed 01.02.2026",
        "The second round is scheduled for the spring of this year 05.03.2026",
        "A long paragraph " + "that goes on and on " * 20 + "02.02.2026",
    ],
)
def test_body_paragraph_ending_in_a_date_is_not_a_title(paragraph: str) -> None:
    item = only(f"News\nA title 03.02.2026\nFirst paragraph.\n{paragraph}\nLast paragraph.\n")
    assert item.paragraphs == ("First paragraph.", paragraph, "Last paragraph.")


def test_sentence_and_date_before_a_blank_line_stays_in_the_body() -> None:
    item = only("News\nA title 03.02.2026\nFirst paragraph.\nPress service. 03.02.2026\n")
    assert item.paragraphs == ("First paragraph.", "Press service. 03.02.2026")


def test_titles_that_end_a_sentence_still_start_items() -> None:
    text = (
        "Science\n"
        "First title 13.02.2025\nBody without a source.\n"
        "Kostanay residents are among the winners! 13.02.2025\nBody two.\n"
        "Control over land use is being strengthened. 13.02.2025\nBody three.\n"
        "Meeting with Mr. Smith at M. Auezov University 12.02.2025\nBody four.\n"
    )
    assert [item.title for item in items(text)] == [
        "First title",
        "Kostanay residents are among the winners!",
        "Control over land use is being strengthened.",
        "Meeting with Mr. Smith at M. Auezov University",
    ]


# -- bodies and sources --------------------------------------------------------------------


def test_many_paragraph_lines() -> None:
    item = only(f"News\nT 03.02.2026\nOne.\nTwo.\nThree.\nSource : {URL_1}\n")
    assert item.paragraphs == ("One.", "Two.", "Three.")
    assert item.source_url == URL_1


@pytest.mark.parametrize(
    ("last_line", "paragraph"),
    [
        (f"Strengthening relations.Source : {URL_1}", "Strengthening relations."),
        (f"We wish them further victories!Source : {URL_1}", "We wish them further victories!"),
        (f"A visit to the Turkestan regionSource : {URL_1}", "A visit to the Turkestan region"),
        (f"Taldykorgan. Source : {URL_1}", "Taldykorgan."),
        (f"By phone:+7 747 789 52 40Source : {URL_1}", "By phone:+7 747 789 52 40"),
    ],
)
def test_source_glued_to_the_last_sentence(last_line: str, paragraph: str) -> None:
    item = only(f"News\nT 03.02.2026\n{last_line}\n")
    assert (item.paragraphs, item.source_url, item.truncated) == ((paragraph,), URL_1, False)


def test_item_without_body() -> None:
    text = f"World\nThe Sky of Bayserke 18.08.2025\nSource : {URL_2}\nNext 18.08.2025\nBody.\n"
    first, _ = items(text)
    assert (first.paragraphs, first.source_url, first.end_line) == ((), URL_2, 3)


def test_item_without_source_is_complete_when_another_follows() -> None:
    first, _ = items("News\nOne 03.02.2026\nBody one, no source\nTwo 03.02.2026\nBody two.\n")
    assert (first.source_url, first.truncated) == (None, False)
    assert first.paragraphs == ("Body one, no source",)


def test_source_without_lang_mid_page_is_kept() -> None:
    first, _ = items(f"Politics\nOne 09.02.2025\nBody.Source : {URL_NO_LANG}\nTwo 09.02.2025\nB.\n")
    assert first.source_url == URL_NO_LANG


def test_blank_lines_between_and_inside_items() -> None:
    text = "News\n\n\nOne 03.02.2026\n\nPara one.\n\nPara two.\n\n\nTwo 03.02.2026\nBody two.\n\n"
    first, second = items(text)
    assert first.paragraphs == ("Para one.", "Para two.")
    assert (first.line, first.end_line) == (4, 8)
    assert first.raw == "One 03.02.2026\n\nPara one.\n\nPara two."
    assert (second.line, second.end_line, second.truncated) == (11, 12, False)


# -- truncated pages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "ending",
    [
        "The celebr",  # mid-word
        "Director for ",  # mid-sentence
        "the relations.Source : https://www.gov.kz/memleket/entit",  # mid-URL
        f"the relations.Source : {GOV}/mfa/press/news/details/11541",  # mid-id, maybe
        f"the relations.Source : {GOV}/mfa/press/news/details/1154138?lang=k",
        "the relations.Source : ",
        "the relations.Source : htt",
    ],
)
def test_cut_last_item_is_truncated_without_source(ending: str) -> None:
    first, last = items(f"News\nOne 03.02.2026\nDone.Source : {URL_1}\nTwo 03.02.2026\n{ending}")
    assert (first.truncated, first.source_url) == (False, URL_1)
    assert (last.truncated, last.source_url) == (True, None)
    assert "Source" not in "".join(last.paragraphs)


def test_cut_after_the_title_is_truncated() -> None:
    assert only("News\nOne 03.02.2026").truncated


@pytest.mark.parametrize("line_break", ["", "\n", "\n\n"])
def test_source_url_without_lang_at_the_very_end_is_not_trusted(line_break: str) -> None:
    item = only(f"News\nOne 03.02.2026\nBody.Source : {URL_NO_LANG}{line_break}")
    assert (item.truncated, item.source_url) == (True, None)


@pytest.mark.parametrize(
    "ending", [f"Body.Source : {URL_1}", "Body ends with a sentence.", "He said: «Done.»"]
)
def test_complete_last_item(ending: str) -> None:
    item = only(f"News\nOne 03.02.2026\n{ending}")
    assert item.truncated is False
    assert item.source_url == (URL_1 if "Source" in ending else None)


def test_page_header_and_line_numbers() -> None:
    text = (
        "URL: https://www.enbekshiqazaq.kz/en/category/9\nLANG: listing\n\nLaw\nT 25.11.2025\nB.\n"
    )
    item = only(text)
    assert item.page_url == "https://www.enbekshiqazaq.kz/en/category/9"
    assert (item.section, item.line, item.end_line) == ("Law", 5, 6)


def test_concatenated_pages_end_each_others_last_item() -> None:
    page_1 = "URL: https://example.kz/1\nLANG: listing\n\nNews\nOne 03.02.2026\nThe celebr\n"
    page_2 = "URL: https://example.kz/2\nLANG: listing\n\nTwo 02.02.2026\nDone.\n"
    one, two = items(page_1 + page_2, default_section="Home")
    assert (one.truncated, one.page_url, one.section) == (True, "https://example.kz/1", "News")
    assert (two.truncated, two.page_url, two.section, two.line) == (
        False,
        "https://example.kz/2",
        "Home",
        10,
    )


# -- encodings and line ends ---------------------------------------------------------------


def test_crlf_line_ends() -> None:
    text = (
        f"News\r\nMore\r\nA title\r\n03.02.2026\r\nBody.Source : {URL_1}\r\nT2 03.02.2026\r\nB.\r\n"
    )
    first, second = items(text)
    assert (first.title, first.source_url, first.raw) == (
        "A title",
        URL_1,
        f"A title\n03.02.2026\nBody.Source : {URL_1}",
    )
    assert second.paragraphs == ("B.",)


def test_byte_order_mark() -> None:
    item = only(
        "\ufeffURL: https://www.enbekshiqazaq.kz/en\nLANG: listing\n\nNews More\nT 03.02.2026\nB.\n"
    )
    assert (item.page_url, item.section) == ("https://www.enbekshiqazaq.kz/en", "News")


def test_lines_with_or_without_line_breaks_agree() -> None:
    text = f"News More\nOne 03.02.2026\nBody.Source : {URL_1}\nTwo 03.02.2026\nCut"
    assert list(parse_listing(text.splitlines())) == parse(text)


# -- languages ------------------------------------------------------------------------------


def test_russian_and_kazakh_items() -> None:
    text = (
        "Law\n"
        "Казахстан и Туркменистан расширяют «зеленый коридор» для овощей и фруктов 25.11.2025\n"
        "Заместитель Премьер-министра – министр национальной экономики РК Серик Жумангарин "
        "провел встречу с заместителем председателя Кабинета Министров Туркменистана.\n"
        "Шымкентте мұқтаж отбасыларға жаңа пәтерлердің кілттері табысталды 25.11.2025\n"
        "Қала әкімі биыл тағы жүзден астам отбасы баспанамен қамтамасыз етілетінін айтты. "
        "Үйлер жалға берілетін тұрғын үй ретінде салынды.\n"
        "An English title 24.11.2025\nAn English body.\n"
    )
    assert [item.lang for item in items(text)] == ["ru", "kk", "en"]


# -- size limits and streaming --------------------------------------------------------------


def test_ten_megabyte_line_is_rejected_quickly() -> None:
    huge = "x" * 10_000_000
    text_lines = [
        "News\n",
        "Huge 03.02.2026\n",
        huge + f"Source : {URL_1}\n",
        "Next 03.02.2026\n",
        "Fine.\n",
    ]
    started = time.perf_counter()
    rejected, item = list(parse_listing(text_lines))
    assert time.perf_counter() - started < 2.0
    assert isinstance(rejected, RejectedItem) and isinstance(item, ListingItem)
    assert rejected.reason == "line 3 is too long (over 1,000,000 characters)"
    assert (rejected.line, rejected.end_line) == (2, 3)
    assert len(rejected.raw) == 64 * 1024
    assert rejected.raw.startswith("Huge 03.02.2026\nxxx")
    assert (item.title, item.line, item.paragraphs) == ("Next", 4, ("Fine.",))


def test_huge_line_without_an_item_is_rejected_alone() -> None:
    rejected, item = parse("y" * 1_000_001 + "\nT 03.02.2026\nB.\n")
    assert isinstance(rejected, RejectedItem) and isinstance(item, ListingItem)
    assert (rejected.line, rejected.end_line, len(rejected.raw)) == (1, 1, 64 * 1024)


def test_item_over_the_size_limit_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "MAX_ITEM_CHARS", 1_000)
    body = "\n".join(f"Paragraph {n} of a very long story." for n in range(100))
    rejected, item = parse(f"News\nLong 03.02.2026\n{body}\nNext 03.02.2026\nB.\n")
    assert isinstance(rejected, RejectedItem) and isinstance(item, ListingItem)
    assert "longer than 1000" in rejected.reason
    assert (rejected.line, rejected.end_line, item.line) == (2, 102, 103)


def test_items_come_out_before_the_input_ends() -> None:
    def endless() -> Iterator[str]:
        yield "News More\n"
        for n in itertools.count():
            yield f"Title {n} 03.02.2026\n"
            yield f"Body {n}.Source : {GOV}/mfa/press/news/details/{n + 1}?lang=en\n"

    first_three = list(itertools.islice(parse_listing(endless()), 3))
    assert [item.line for item in first_three] == [2, 4, 6]


# -- invariants on arbitrary input ----------------------------------------------------------

LINE_PIECES = st.sampled_from(
    [
        "",
        "News",
        "More",
        "News More",
        "Enbekshi QazaQ",
        "03.02.2026",
        "31.02.2026",
        "A title 03.02.2026",
        "*STARRED* 02.02.2026",
        "A sentence.",
        "held on 03.02.2026",
        f"Source : {URL_1}",
        f"Done.Source : {URL_2}",
        "Source : https://www.gov",
        "Казахстан 01.02.2026",
        "URL: https://example.kz",
        "LANG: listing",
        "  \t ",
    ]
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(LINE_PIECES, max_size=30), st.sampled_from(["\n", "\r\n", ""]))
def test_items_are_ordered_slices_of_the_input(pieces: list[str], line_break: str) -> None:
    """Never crashes; items are disjoint, in order, exact copies of their lines; only an
    item that ends its page (input end or a new ``URL:`` header) can be truncated."""
    previous_end = 0
    for item in parse_listing(piece + line_break for piece in pieces):
        assert previous_end < item.line <= item.end_line <= len(pieces)
        assert item.raw == "\n".join(pieces[item.line - 1 : item.end_line])
        previous_end = item.end_line
        if isinstance(item, ListingItem) and item.truncated:
            rest = [piece for piece in pieces[item.end_line :] if piece.strip()]
            assert not rest or rest[0].startswith("URL:")
