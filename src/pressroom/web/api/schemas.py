"""What the API accepts and answers; the OpenAPI document is generated from these.

Text parameters refuse control characters (a NUL cannot reach a PostgreSQL query) and
are bounded in length; ids are bounded by the database's integer size. Anything outside
is a 422 from django-ninja's validation before any query runs.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from pressroom.store.models import Publisher
from pressroom.web.api.pagination import DEFAULT_LIMIT, MAX_CURSOR_CHARS, MAX_ID, MAX_LIMIT

NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
SLUG = r"^[-a-zA-Z0-9_]+$"
MAX_QUERY_CHARS = 1_000  # what the portal's search accepts too

Lang = Literal["en", "ru", "kk"]
Kind = Publisher.Kind
ArticleId = Annotated[int, Field(ge=1, le=MAX_ID, description="An article's id.")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """YYYY-MM-DD and nothing else (pydantic alone would read "0" as a Unix time)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("write dates as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


# -- requests ---------------------------------------------------------------------------


class Page(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    cursor: str | None = Field(
        None,
        max_length=MAX_CURSOR_CHARS,
        description="Opaque: the `next_cursor` of the previous page. Omit it for the first page.",
    )


class ArticleFilters(Schema):
    """The filters of `/articles` and `/search`, with the same meaning in both."""

    section: str | None = Field(
        None,
        max_length=120,
        pattern=NO_CONTROL,
        description="A section's slug (or its name as shown, e.g. `Society`).",
    )
    publisher: str | None = Field(
        None,
        max_length=120,
        pattern=NO_CONTROL,
        description="A publisher's slug; the publishers under it count too.",
    )
    kind: Kind | None = Field(None, description="Publisher kind.")
    lang: Lang | None = Field(None, description="Article language.")
    date_from: IsoDate | None = Field(
        None, alias="from", description="Published on or after (YYYY-MM-DD)."
    )
    date_to: IsoDate | None = Field(None, alias="to", description="Published on or before.")


# -- answers ----------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="What was wrong, in words.")


class ValidationProblem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrors(Schema):
    detail: list[ValidationProblem]


class SectionRef(Schema):
    slug: str
    name: str = Field(description="The name as shown on source pages (English).")


class Names(Schema):
    en: str
    ru: str
    kk: str


class ArticleItem(Schema):
    id: int
    title: str
    lang: Lang
    published: date
    publisher: str | None = Field(description="The publisher's slug.")
    sections: list[SectionRef]
    source_url: str | None = Field(description="The original on the publisher's site.")
    source_id: int | None = Field(description="The original's id on gov.kz, when known.")
    url: str = Field(description="The article on this portal.")
    first_seen: datetime
    last_seen: datetime
    withdrawn_at: datetime | None = Field(description="When the original disappeared.")
    truncated: bool = Field(description="Only the beginning of the text is known so far.")
    body: list[str] | None = Field(
        None, description="Paragraphs; only with `include_body=true` (always on `/articles/{id}`)."
    )


class ArticleList(Schema):
    items: list[ArticleItem]
    limit: int
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
    next: str | None = Field(description="The next page's URL; null at the end.")


class Sighting(Schema):
    id: int
    input: str = Field(description="The input (file name, feed or page) the copy was read from.")
    page_url: str | None
    line: int | None
    end_line: int | None
    section: str = Field(description="The heading the copy stood under.")
    source_url: str | None
    match: str = Field(description="How it was recognised: new, source, exact, near, prefix.")
    truncated: bool
    seen_at: datetime
    raw: str | None = Field(None, description="The text as read; only with `include_raw=true`.")


class EarlierVersion(Schema):
    title: str
    body: list[str]
    replaced_at: datetime = Field(description="When a newer text replaced this one.")


class Translation(Schema):
    id: int
    lang: Lang
    title: str


class ArticleDetail(ArticleItem):
    body: list[str] | None = Field(description="Paragraphs.")
    sightings: list[Sighting] = Field(description="Every copy read, oldest first.")
    versions: list[EarlierVersion] = Field(description="Earlier texts, newest first.")
    translations: list[Translation] = Field(description="The same original in other languages.")


class SectionOut(Schema):
    slug: str
    name: str = Field(description="The name as shown on source pages.")
    names: Names = Field(description="The name in each language, as the portal shows it.")
    position: int = Field(description="Order on the home page.")
    url: str = Field(description="The section's page on this portal.")


class SectionList(Schema):
    items: list[SectionOut]


class PublisherOut(Schema):
    slug: str
    kind: Kind
    parent: str | None = Field(description="The parent publisher's slug.")
    names: Names = Field(description="The name in each language, as the portal shows it.")
    home_url: str
    region: str
    url: str = Field(description="The publisher's page on this portal.")


class PublisherDetail(PublisherOut):
    children: list[str] = Field(description="Slugs of the publishers directly under it.")
    articles: int = Field(description="Visible articles it published.")


class PublisherList(Schema):
    items: list[PublisherOut]
    limit: int
    next_cursor: str | None
    next: str | None


class SearchHit(Schema):
    id: int
    title: str
    title_html: str = Field(description="The title, HTML-escaped, matches in <mark>.")
    snippet: str = Field(description="HTML: escaped text around the matches, in <mark>.")
    lang: Lang
    published: date
    publisher: str | None
    sections: list[SectionRef]
    source_url: str | None
    url: str
    score: float


class SearchResults(Schema):
    query: str
    sort: Literal["relevance", "date"]
    total: int = Field(description="Matches; a lower bound when `total_exact` is false.")
    total_exact: bool
    items: list[SearchHit]
    limit: int
    notes: list[str] = Field(description="What the client should know (words left out...).")
    next_cursor: str | None
    next: str | None
