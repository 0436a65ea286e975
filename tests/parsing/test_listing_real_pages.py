"""The 16 archived listing pages in ``listing/real``.

Every expected value (count, titles, dates, Source URLs, truncation, sections, lines)
was read off the pages by hand. Each page is the first ~2,000 bytes of the site's page,
so its last item is cut off: mid-word, mid-sentence, or (``category_9_page_92``) at
the end of a Source URL that lacks ``?lang=``, which therefore cannot be trusted.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import NamedTuple

import pytest

from pressroom.parsing.listing import ListingItem, RejectedItem, parse_listing

DATA = Path(
    os.environ.get("PRESSROOM_SHARED_DATA")
    or Path(__file__).resolve().parents[3] / "shared" / "data"
)
REAL = DATA / "listing" / "real"
GOV = "https://www.gov.kz/memleket/entities"
SITE = "https://www.enbekshiqazaq.kz/en"


class Expected(NamedTuple):
    title: str
    published: str
    source_url: str | None
    truncated: bool
    lines: tuple[int, int]


class Page(NamedTuple):
    url: str
    section: str
    items: list[Expected]


PAGES: dict[str, Page] = {
    "enbekshiqazaq_kz_en.txt": Page(
        SITE,
        "News",
        [
            Expected(
                'Shymkent celebrated the holiday "Maslenitsa - 2026"',
                "2026-02-21",
                None,
                True,
                (6, 7),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_11_page_6.txt": Page(
        f"{SITE}/category/11?page=6",
        "Tourism",
        [
            Expected(
                "Achievements of the Ministry of Education of the Republic of Kazakhstan in 2024",
                "2024-12-24",
                None,
                True,
                (6, 7),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_11_page_7.txt": Page(
        f"{SITE}/category/11?page=7",
        "Tourism",
        [
            Expected(
                'The film "Ustaz" was presented to the capital\'s teachers',
                "2024-12-06",
                None,
                True,
                (6, 7),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_1_page_135.txt": Page(
        f"{SITE}/category/1?page=135",
        "World",
        [
            Expected(
                "Control over land use is being strengthened in the Abay district.",
                "2025-09-01",
                None,
                True,
                (5, 6),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_1_page_208.txt": Page(
        f"{SITE}/category/1?page=208",
        "World",
        [
            Expected(
                '"The Sky of Bayserke – 2025"',
                "2025-08-18",
                f"{GOV}/almobl/press/news/details/1052856?lang=kk",
                False,
                (5, 6),
            ),
            Expected(
                "Why do I need an inventory list of an apartment building?",
                "2025-08-18",
                f"{GOV}/almobl-zkh/press/news/details/1052871?lang=kk",
                False,
                (7, 8),
            ),
            Expected(
                "The Department announces an unscheduled certification among the personnel",
                "2025-08-18",
                f"{GOV}/duisalmjetobl/press/news/details/1052637?lang=kk",
                False,
                (9, 10),
            ),
            Expected(
                'OPM "Doping" is conducted in the subordinate institutions of the Department',
                "2025-08-18",
                f"{GOV}/duisalmjetobl/press/news/details/1052646?lang=kk",
                False,
                (11, 12),
            ),
            Expected(
                "14 avgusta 2025 goda proizvedena konfiskatsiya alkogol'noy produktsii v "
                'kolichestve 585 yedinits, iz"yatoy u gr. Z. na osnovanii postanovleniya suda. '
                "141 / 5 000 On August 14, 2025, 585 units of alcoholic beverages were "
                "confiscated from citizen Z. based on a court ruling.",
                "2025-08-18",
                None,
                True,
                (13, 14),
            ),
        ],
    ),
    "enbekshiqazaq_kz_en_category_1_page_50.txt": Page(
        f"{SITE}/category/1?page=50",
        "World",
        [
            Expected(
                "NEW APPROACHES TO WATER RESOURCES MANAGEMENT WERE DISCUSSED IN SHYMKENT",
                "2025-09-29",
                None,
                True,
                (8, 9),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_2_page_72.txt": Page(
        f"{SITE}/category/2?page=72",
        "Politics",
        [
            Expected(
                "Working visit of Minister of Water Resources and Irrigation Nurzhan Nurzhigitov "
                "to Turkestan region",
                "2025-02-09",
                f"{GOV}/water/press/news/details/930918",
                False,
                (5, 6),
            ),
            Expected(
                "Accessible justice: The Ministry of Justice of the Republic of Kazakhstan and "
                "IPrav are developing digital legal services",
                "2025-02-09",
                None,
                True,
                (7, 14),
            ),
        ],
    ),
    "enbekshiqazaq_kz_en_category_3_page_36.txt": Page(
        f"{SITE}/category/3?page=36",
        "Science",
        [
            Expected(
                "Kostanay residents are among the winners of the 2025 Asian Games!",
                "2025-02-13",
                f"{GOV}/kostanay/press/news/details/937273",
                False,
                (8, 9),
            ),
            Expected(
                "Remote medical consultations have become available at the Kostanay Regional "
                "Hospital",
                "2025-02-13",
                None,
                True,
                (10, 11),
            ),
        ],
    ),
    "enbekshiqazaq_kz_en_category_6.txt": Page(
        f"{SITE}/category/6",
        "Culture",
        [
            Expected(
                "On the Outcomes of the Participation of Vice Minister of Finance of Kazakhstan "
                "Dauren Kengbeil in the Annual Spring Meetings of the International Monetary "
                "Fund and the World Bank",
                "2025-04-28",
                None,
                True,
                (8, 9),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_8_page_23.txt": Page(
        f"{SITE}/category/8?page=23",
        "Technology",
        [
            Expected(
                "Draft budget and tax reforms discussed with experts",
                "2025-01-19",
                None,
                True,
                (5, 10),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_9.txt": Page(
        f"{SITE}/category/9",
        "Law",
        [
            Expected(
                "Казахстан и Туркменистан расширяют «зеленый коридор» для овощей и фруктов",
                "2025-11-25",
                None,
                True,
                (8, 9),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_9_page_106.txt": Page(
        f"{SITE}/category/9?page=106",
        "Law",
        [
            Expected(
                "Воспитателям детсадов по результатам национального тестирования повысят "
                "зарплату от 30% до 50% — Э. Суханбердиева",
                "2025-04-12",
                None,
                True,
                (8, 9),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_9_page_217.txt": Page(
        f"{SITE}/category/9?page=217",
        "Law",
        [
            Expected(
                "A. Ertayev informed colleagues from the Asia-Pacific region about migration "
                "processes in Kazakhstan",
                "2025-02-09",
                None,
                True,
                (5, 6),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_category_9_page_92.txt": Page(
        f"{SITE}/category/9?page=92",
        "Law",
        [
            Expected(
                "The arable area in the Turkestan region is 896 thousand ha",
                "2025-04-15",
                f"{GOV}/moa/press/news/details/965218?lang=kk",
                False,
                (5, 6),
            ),
            Expected(
                'A new director of the "National and Equestrian Sports Center" was appointed',
                "2025-04-15",
                None,  # ".../tsm/press/news/details/965012" ends the page: maybe cut
                True,
                (7, 8),
            ),
        ],
    ),
    "enbekshiqazaq_kz_en_news_all_page_1.txt": Page(
        f"{SITE}/news/all?page=1",
        "News",
        [
            Expected(
                '"THE PREVENTION SYSTEM MUST BE CONSTANTLY CONDUCTED": SHYMKENT AKIMAT ON '
                "VIOLATIONS",
                "2026-02-04",
                None,
                True,
                (8, 9),
            )
        ],
    ),
    "enbekshiqazaq_kz_en_news_all_page_50.txt": Page(
        f"{SITE}/news/all?page=50",
        "News",
        [
            Expected(
                "In honor of the 140th anniversary of the birth of Mirzhakyp Dulatov, a "
                "discussion dedicated to his novel “Baqytsyz Jamal” was held",
                "2025-11-26",
                f"{GOV}/zhetysu-archive/press/news/details/1112623?lang=kk",
                False,
                (8, 9),
            ),
            Expected(
                "Kyzylzhar-2 microdistrict in Shymkent has been connected to a full-fledged "
                "engineering infrastructure",
                "2025-11-26",
                None,
                True,
                (10, 11),
            ),
        ],
    ),
}


def parse_page(name: str) -> list[ListingItem]:
    path = REAL / name
    if not path.is_file():
        pytest.fail(f"page not found at {path} (set PRESSROOM_SHARED_DATA)")
    with path.open(encoding="utf-8") as lines:
        parsed = list(parse_listing(lines))
    rejected = [item for item in parsed if isinstance(item, RejectedItem)]
    assert rejected == []
    return [item for item in parsed if isinstance(item, ListingItem)]


def test_every_page_is_covered() -> None:
    assert sorted(path.name for path in REAL.glob("*.txt")) == sorted(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page(name: str) -> None:
    page = PAGES[name]
    items = parse_page(name)
    assert len(items) == len(page.items)
    for item, expected in zip(items, page.items, strict=True):
        assert item.title == expected.title
        assert item.published == datetime.date.fromisoformat(expected.published)
        assert item.source_url == expected.source_url
        assert item.truncated is expected.truncated
        assert (item.line, item.end_line) == expected.lines
        assert item.section == page.section
        assert item.page_url == page.url


@pytest.mark.parametrize("name", sorted(PAGES))
def test_only_the_last_item_can_be_truncated(name: str) -> None:
    assert not any(item.truncated for item in parse_page(name)[:-1])


def test_items_without_body() -> None:
    items = parse_page("enbekshiqazaq_kz_en_category_1_page_208.txt")
    assert [len(item.paragraphs) for item in items] == [0, 0, 1, 1, 1]


def test_glued_source_is_cut_from_the_last_paragraph() -> None:
    items = parse_page("enbekshiqazaq_kz_en_category_1_page_208.txt")
    assert items[2].paragraphs[-1].endswith("by phone:+7 747 789 52 40")
    water = parse_page("enbekshiqazaq_kz_en_category_2_page_72.txt")[0]
    assert water.paragraphs == (
        "Working visit of the Minister of Water Resources and Water Management Nurzhan "
        "Nurzhigitov to the Turkestan region",
    )
    kostanay = parse_page("enbekshiqazaq_kz_en_category_3_page_36.txt")[0]
    assert kostanay.paragraphs[-1].endswith("wish them further victories!")
    archive = parse_page("enbekshiqazaq_kz_en_news_all_page_50.txt")[0]
    assert archive.paragraphs[-1].endswith("No. 23 of Taldykorgan.")


def test_cut_source_url_is_not_reported() -> None:
    item = parse_page("enbekshiqazaq_kz_en_category_9_page_92.txt")[-1]
    assert item.raw.endswith(f"(2024).Source : {GOV}/tsm/press/news/details/965012")
    assert item.paragraphs[-1].endswith("awarded with a badge (2024).")
    assert item.source_url is None and item.truncated


def test_one_paragraph_per_body_line() -> None:
    justice = parse_page("enbekshiqazaq_kz_en_category_2_page_72.txt")[1]
    assert len(justice.paragraphs) == 7
    assert justice.paragraphs[-1] == (
        "“For us, signing the memorandum is not only a new stage in the development"
    )
    budget = parse_page("enbekshiqazaq_kz_en_category_8_page_23.txt")[0]
    assert len(budget.paragraphs) == 5


def test_languages() -> None:
    assert parse_page("enbekshiqazaq_kz_en_category_9.txt")[0].lang == "ru"
    # Russian title, English body: the body is most of the text.
    assert parse_page("enbekshiqazaq_kz_en_category_9_page_106.txt")[0].lang == "en"
    assert parse_page("enbekshiqazaq_kz_en_category_6.txt")[0].lang == "en"
