"""Parse the text of enbekshiqazaq.kz listing pages into news items, as a stream.

A page is a run of sections; each section is a heading (``News`` then a line ``More``,
``News More`` on one line, or a bare known name such as ``Tourism``) followed by items.
An item is a title with its date, either on one line (``Title 21.02.2026``) or on two
(``Title`` then ``03.02.2026``), then zero or more body lines (one paragraph each), and
usually a ``Source : <URL>`` part, on its own line or glued to the last sentence
(``...relations.Source : https://...``). A ``Source`` part ends its item. Files stored by
the archive start with a header ``URL: <page url>`` / ``LANG: listing``; a ``URL:`` line
on line 1, or anywhere when a ``LANG:`` line follows it, starts a (new) page. The site
name line ``Enbekshi QazaQ`` and blank lines carry nothing.

Title or body? A line ending in `` DD.MM.YYYY`` starts a new item when no item is open
(at the start of a section, or after a ``Source`` part) and it is at most
``MAX_TITLE_CHARS`` long. Inside an open body, where a paragraph may end in a date, it
starts a new item only if it reads like a title:

- at most ``MAX_TITLE_IN_BODY_CHARS`` characters before the date (titles here are short,
  body paragraphs long);
- the text before the date does not end like an unfinished sentence: no ``,;:-–—(/``
  and no preposition such as "on", "from", "until", "до", "от" ("... held on 03.02.2026");
- it is one sentence: no "word. Capital" inside (``Mr.``, ``No.`` and initials such as
  ``M. Auezov`` do not count), where a paragraph usually has several;
- if it ends with ``.``, ``!`` or ``?`` (some titles do), the next line is body text or
  a ``Source`` line;
- its date is not later than the open item's: a listing runs newest first, while a
  paragraph's date is often ahead ("applications are accepted until ... 01.03.2026").

A line followed by a line that is only a date is a title in the two-line layout. The
lone date line is strong evidence, so only two rules apply there: at most
``MAX_TITLE_CHARS`` characters, and no unfinished-sentence mark at the end (real titles
hold "U.S." and "Dr. S.", and may be dated later than the item before). Anything else
inside a body is a paragraph. Known blind spot: a short one-sentence paragraph ending in
a bare date of the item's day or earlier, with no final punctuation or preposition
before the date, is read as a title.

Truncation: stored pages are cut off, so the last item of a page (the end of the input,
or a new page header) may be incomplete. It counts as complete only if it ends with a
``Source`` URL that cannot have been cut (a gov.kz news URL ending with a ``lang`` of
kk/ru/en; a URL without ``lang`` may have lost it, or digits of its id) or, without a
Source, if its last paragraph ends a sentence (``.!?…`` maybe followed by closing
quotes or brackets). A final line break is no proof: cut pages are often saved with
one. Otherwise the item is ``truncated=True`` and a Source URL that may have been cut
is dropped (``source_url=None``). An item followed by a non-blank line of its page is
complete as shown.

Rejected, not guessed: an impossible date (``31.02.2026``), text with no title line
before it, a title without a date, a line over ``MAX_LINE_CHARS`` and an item over
``MAX_ITEM_CHARS`` (the last two bound memory) each give a ``RejectedItem`` keeping at
most ``RAW_KEEP_CHARS`` of raw text; parsing goes on with the next item.

Cost: one pass, one line of look-ahead, and per line only O(1) slices of its ends are
searched, so the work is linear in the input and memory is bounded by one item.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from pressroom.parsing.govkz import parse_govkz_url
from pressroom.parsing.language import SAMPLE_CHARS, detect_language

MAX_LINE_CHARS = 1_000_000
MAX_ITEM_CHARS = 4_000_000
RAW_KEEP_CHARS = 64 * 1024
MAX_TITLE_CHARS = 1_000
MAX_TITLE_IN_BODY_CHARS = 300
_SOURCE_TAIL_CHARS = 4_096  # a Source part is searched for only in a line's last characters

SECTION_NAMES = frozenset(  # headings recognised even without a "More" line (casefolded)
    {
        *("news", "society", "world", "politics", "science", "business", "economics"),
        *("economy", "culture", "technology", "law", "tourism", "sport", "sports", "health"),
        *("education", "regions", "incidents", "official", "analytics", "interview"),
        *("agriculture", "ecology"),
    }
)
SITE_NAMES = frozenset({"enbekshi qazaq"})
_MAX_SITE_NAME_CHARS = max(map(len, SITE_NAMES))

_DATE_RE = re.compile(r"(?<!\S)(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")
_SOURCE_RE = re.compile(r"Source\s*:\s*(\S*)\Z")
_URL_SCHEMES = ("http://", "https://")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*\Z")
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Gen", "Jr", "Sr", "No", "vs")
_SENTENCE_BREAK_RE = re.compile(
    r"[a-zа-яёәғқңөұүһі0-9)»\"”]"
    + "".join(rf"(?<!\b{abbreviation})" for abbreviation in _ABBREVIATIONS)
    + r"[.!?…]\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ«\"“]"
)
_CONTINUES = frozenset(",;:-–—(/")
_DATE_PREPOSITIONS = frozenset(
    {
        *("on", "from", "to", "until", "till", "by", "since", "before", "after", "of", "at"),
        *("dated", "date", "as", "in", "between", "and", "through", "than"),
        *("с", "со", "до", "по", "от", "на", "к", "за", "и", "дата", "датой"),
    }
)
_HEADING_CHARS = frozenset(" &-'’,")


@dataclass(frozen=True, slots=True)
class ListingItem:
    """One news item as the listing shows it."""

    title: str  # whitespace and *stars* around it removed, case kept
    published: datetime.date
    paragraphs: tuple[str, ...]  # body paragraphs, Source part removed; () when no body
    source_url: str | None  # complete URL or None
    section: str | None  # heading it stood under, as shown, else the caller's default
    line: int  # 1-based line (whole input, header included) where the item starts
    end_line: int  # last line of the item
    raw: str  # the item's lines exactly as read (line breaks removed), joined with "\n"
    truncated: bool  # the page may have been cut inside this item
    lang: str  # "en" | "ru" | "kk"
    page_url: str | None  # from the ``URL:`` header, if there was one


@dataclass(frozen=True, slots=True)
class RejectedItem:
    """Lines that could not become a trustworthy item, kept for a human to look at."""

    line: int
    end_line: int
    raw: str  # at most RAW_KEEP_CHARS
    reason: str
    section: str | None


Parsed = ListingItem | RejectedItem


class _Kind(Enum):
    BLANK = "blank"
    MORE = "more"  # the "More" link under a heading
    SITE = "site"  # the site name
    DATE = "date"  # a line that is only a date
    SOURCE = "source"  # a line that is only a Source part
    TEXT = "text"
    HUGE = "huge"  # longer than MAX_LINE_CHARS: only its tail is searched (for a Source)


_BODY_KINDS = frozenset({_Kind.TEXT, _Kind.SOURCE, _Kind.HUGE})


@dataclass(slots=True)
class _Line:
    no: int
    raw: str  # as read, line terminator removed
    text: str  # stripped ("" for HUGE)
    kind: _Kind
    date: re.Match[str] | None  # the trailing date, if any
    source_at: int  # where a trailing Source part starts in ``text``, -1 if none
    url: str  # the Source URL as found (may be empty or cut)


def parse_listing(
    lines: Iterable[str], *, default_section: str | None = None
) -> Iterator[ListingItem | RejectedItem]:
    """Streams: yields each item as soon as it is complete; memory must not grow with input size.

    ``lines`` are single lines, with or without their line break; numbering starts at 1
    and counts every line, header included.
    """
    return _Parser(default_section).parse(lines)


def _read_lines(lines: Iterable[str]) -> Iterator[_Line]:
    for no, line in enumerate(lines, 1):
        if no == 1 and line.startswith("\ufeff"):
            line = line[1:]
        yield _classify(no, line)


def _classify(no: int, line: str) -> _Line:
    raw = line.rstrip("\r\n")
    if len(raw) > MAX_LINE_CHARS:
        source_at, url = _find_source(raw[-_SOURCE_TAIL_CHARS:].rstrip())
        return _Line(no, raw, "", _Kind.HUGE, None, source_at, url)
    text = raw.strip()
    if not text:
        return _Line(no, raw, text, _Kind.BLANK, None, -1, "")
    date = _DATE_RE.search(text, max(0, len(text) - 10))
    source_at, url = _find_source(text)
    if text == "More":
        kind = _Kind.MORE
    elif len(text) <= _MAX_SITE_NAME_CHARS and text.casefold() in SITE_NAMES:
        kind = _Kind.SITE
    elif date is not None and date.start() == 0:
        kind = _Kind.DATE
    elif source_at == 0:
        kind = _Kind.SOURCE
    else:
        kind = _Kind.TEXT
    return _Line(no, raw, text, kind, date, source_at, url)


def _find_source(text: str) -> tuple[int, str]:
    """Locate a trailing ``Source : <URL>`` part; the URL may be empty or cut at the end."""
    match = _SOURCE_RE.search(text, max(0, len(text) - _SOURCE_TAIL_CHARS))
    if match is None:
        return -1, ""
    url = match[1]
    if url.startswith(_URL_SCHEMES) or any(scheme.startswith(url) for scheme in _URL_SCHEMES):
        return match.start(), url
    return -1, ""


def _ends_sentence(text: str) -> bool:
    return _SENTENCE_END_RE.search(text, max(0, len(text) - 10)) is not None


def _title_plausible(head: str, *, in_body: bool, body_follows: bool) -> bool:
    """Could ``head`` (a line's text before its date) be a title? Rules in the module doc."""
    if not head or len(head) > MAX_TITLE_CHARS:
        return False
    if not in_body:
        return True
    if len(head) > MAX_TITLE_IN_BODY_CHARS or head[-1] in _CONTINUES:
        return False
    if head.rsplit(None, 1)[-1].casefold() in _DATE_PREPOSITIONS:
        return False
    if _SENTENCE_BREAK_RE.search(head) is not None:
        return False
    return body_follows or not _ends_sentence(head)


def _heading(cur: _Line, nxt: _Line | None) -> str | None:
    """The section name if ``cur`` is a heading line, else None."""
    if cur.kind is not _Kind.TEXT or cur.date is not None or cur.source_at >= 0:
        return None
    text = cur.text
    if text.endswith(" More"):
        name = text[:-5].rstrip()
        return name if _heading_like(name) else None
    if not _heading_like(text):
        return None
    if text.casefold() in SECTION_NAMES or (nxt is not None and nxt.kind is _Kind.MORE):
        return text
    return None


def _heading_like(name: str) -> bool:
    return (
        0 < len(name) <= 40
        and name[0].isupper()
        and len(name.split()) <= 4
        and all(ch.isalpha() or ch in _HEADING_CHARS for ch in name)
    )


def _clean_title(text: str) -> str:
    """Strip whitespace and the ``*stars*`` some titles are wrapped in; keep case as is."""
    title = text.strip()
    if len(title) > 1 and title[0] == "*" and title[-1] == "*":
        title = title.strip("*").strip()
    return title


def _parse_date(match: re.Match[str]) -> datetime.date | None:
    day, month, year = map(int, match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class _Item:
    """An item being read: its lines so far, and what was made of them."""

    __slots__ = (
        "blank_chars",
        "blanks",
        "end_line",
        "line",
        "page_url",
        "paragraphs",
        "published",
        "raw_chars",
        "raw_parts",
        "reason",
        "section",
        "source_url",
        "sourced",
        "title",
    )

    def __init__(self, first: _Line, section: str | None, page_url: str | None) -> None:
        self.line = first.no
        self.end_line = first.no
        self.section = section
        self.page_url = page_url
        self.title = ""
        self.published: datetime.date | None = None
        self.paragraphs: list[str] = []
        self.source_url: str | None = None
        self.sourced = False  # a Source part was read: the item takes no more text
        self.reason: str | None = None
        self.raw_parts: list[str] = []
        self.raw_chars = 0
        self.blanks: list[str] = []  # blank lines read since the last content line
        self.blank_chars = 0
        self.add(first)

    def reject(self, reason: str) -> None:
        """Keep the first reason; from now on keep only the start of the raw text."""
        if self.reason is None:
            self.reason = reason
            self.paragraphs.clear()
            if self.raw_parts:
                kept = "\n".join(self.raw_parts)[:RAW_KEEP_CHARS]
                self.raw_parts = [kept]
                self.raw_chars = len(kept) + 1

    def add_blank(self, line: _Line) -> None:
        """Blank lines belong to the item only if more of its lines follow."""
        self.blank_chars += len(line.raw) + 1
        if self.blank_chars <= MAX_ITEM_CHARS:
            self.blanks.append(line.raw)

    def add(self, line: _Line) -> None:
        if self.blank_chars > MAX_ITEM_CHARS:
            self.reject(f"more than {MAX_ITEM_CHARS} characters of blank lines inside the item")
        for blank in self.blanks:
            self._keep_raw(blank)
        self.blanks.clear()
        self.blank_chars = 0
        if line.kind is _Kind.HUGE:
            self.reject(_too_long(line))
        if self.raw_chars + len(line.raw) > MAX_ITEM_CHARS:
            self.reject(f"item longer than {MAX_ITEM_CHARS} characters")
        self._keep_raw(line.raw)
        self.end_line = line.no

    def _keep_raw(self, raw: str) -> None:
        if self.reason is not None:
            room = RAW_KEEP_CHARS - self.raw_chars
            if room <= 0:
                return
            raw = raw[:room]
        self.raw_parts.append(raw)
        self.raw_chars += len(raw) + 1

    def finish(self, end_of_page: bool) -> Parsed:
        """Build the result; ``end_of_page``: nothing of this page followed, it may be cut."""
        raw = "\n".join(self.raw_parts)
        if self.reason is not None or self.published is None:
            reason = self.reason or "no valid date"
            kept = raw[:RAW_KEEP_CHARS]
            return RejectedItem(self.line, self.end_line, kept, reason, self.section)
        truncated = end_of_page and not self._looks_complete()
        paragraphs = tuple(self.paragraphs)
        return ListingItem(
            title=self.title,
            published=self.published,
            paragraphs=paragraphs,
            source_url=None if truncated else self.source_url,
            section=self.section,
            line=self.line,
            end_line=self.end_line,
            raw=raw,
            truncated=truncated,
            lang=detect_language(_language_sample(self.title, paragraphs)),
            page_url=self.page_url,
        )

    def _looks_complete(self) -> bool:
        if self.sourced:
            return self.source_url is not None and _is_whole_govkz_url(self.source_url)
        return bool(self.paragraphs) and _ends_sentence(self.paragraphs[-1])


def _is_whole_govkz_url(url: str) -> bool:
    """A gov.kz news URL ending in ``lang=kk|ru|en`` cannot have been cut short."""
    ref = parse_govkz_url(url)
    return ref is not None and ref.lang is not None and url.endswith(f"lang={ref.lang}")


def _language_sample(title: str, paragraphs: tuple[str, ...]) -> str:
    parts = [title]
    size = len(title)
    for paragraph in paragraphs:
        if size >= SAMPLE_CHARS:
            break
        parts.append(paragraph[:SAMPLE_CHARS])
        size += len(parts[-1]) + 1
    return " ".join(parts)


class _Parser:
    """The state between lines: current page, section and open item, finished items."""

    def __init__(self, default_section: str | None) -> None:
        self.default_section = default_section
        self.section = default_section
        self.page_url: str | None = None
        self.item: _Item | None = None
        self.done: list[Parsed] = []  # finished by the last step, handed out right after it

    def parse(self, lines: Iterable[str]) -> Iterator[Parsed]:
        stream = _read_lines(lines)
        cur = next(stream, None)
        while cur is not None:
            nxt = next(stream, None)
            consumed_next = self._step(cur, nxt)
            if self.done:
                yield from self.done
                self.done.clear()
            cur = next(stream, None) if consumed_next else nxt
        self._close(end_of_page=True)
        yield from self.done

    def _step(self, cur: _Line, nxt: _Line | None) -> bool:
        """Handle ``cur`` knowing the line after it; return True if that line was used too."""
        if cur.kind is _Kind.BLANK:
            if self.item is not None:
                self.item.add_blank(cur)
            return False
        if cur.text.startswith("URL:") and (cur.no == 1 or _is_lang_line(nxt)):
            self._close(end_of_page=True)
            self.page_url = cur.text[4:].strip() or None
            self.section = self.default_section
            return _is_lang_line(nxt)
        if cur.kind in (_Kind.MORE, _Kind.SITE):
            self._close()
            return False
        heading = _heading(cur, nxt)
        if heading is not None:
            self._close()
            self.section = heading
            return False
        if nxt is not None and nxt.date is not None and self._is_two_line_title(cur, nxt):
            self._open(cur, cur.text, nxt.date, date_line=nxt)
            return True
        if cur.date is not None and self._is_one_line_title(cur, cur.date, nxt):
            self._open(cur, cur.text[: cur.date.start()], cur.date)
            return False
        self._content(cur, nxt)
        return False

    def _is_two_line_title(self, cur: _Line, nxt: _Line) -> bool:
        if cur.kind is not _Kind.TEXT or cur.source_at >= 0 or nxt.kind is not _Kind.DATE:
            return False
        # A line holding nothing but a date is strong evidence of a title above it: only a
        # line that visibly runs on (ends in a comma, a dash...) is still taken for body text.
        text = cur.text
        return 0 < len(text) <= MAX_TITLE_CHARS and not (self._in_body() and text[-1] in _CONTINUES)

    def _is_one_line_title(self, cur: _Line, date: re.Match[str], nxt: _Line | None) -> bool:
        if cur.kind is not _Kind.TEXT:
            return False
        in_body = self._in_body()
        if in_body and self._dated_after_open_item(date):
            return False
        head = cur.text[: date.start()].rstrip()
        body_follows = nxt is not None and nxt.kind in _BODY_KINDS
        return _title_plausible(head, in_body=in_body, body_follows=body_follows)

    def _in_body(self) -> bool:
        return self.item is not None and not self.item.sourced

    def _dated_after_open_item(self, date: re.Match[str] | None) -> bool:
        """Listings run newest first, so a later date belongs to the open item's text."""
        published = _parse_date(date) if date is not None else None
        open_date = self.item.published if self.item is not None else None
        return published is not None and open_date is not None and published > open_date

    def _open(
        self, first: _Line, title_text: str, date: re.Match[str], date_line: _Line | None = None
    ) -> None:
        self._close()
        item = self.item = _Item(first, self.section, self.page_url)
        if date_line is not None:
            item.add(date_line)
        item.title = _clean_title(title_text)
        item.published = _parse_date(date)
        if item.published is None:
            item.reject(f"impossible date {date[0]}")
        elif not item.title:
            item.reject("empty title")

    def _content(self, cur: _Line, nxt: _Line | None) -> None:
        """A body line of the open item, or the start of a rejected one if none is open."""
        item = self.item
        if item is None or item.sourced:
            self._close()
            item = self.item = _Item(cur, self.section, self.page_url)
            item.reject(_orphan_reason(cur))
        else:
            item.add(cur)
            paragraph = cur.text[: cur.source_at].rstrip() if cur.source_at >= 0 else cur.text
            if paragraph and item.reason is None:
                item.paragraphs.append(paragraph)
        if cur.source_at >= 0:
            item.sourced = True
            item.source_url = cur.url if cur.url.startswith(_URL_SCHEMES) else None
            if nxt is not None and nxt.kind is not _Kind.BLANK:  # the page goes on
                self._close()

    def _close(self, *, end_of_page: bool = False) -> None:
        if self.item is not None:
            self.done.append(self.item.finish(end_of_page))
            self.item = None


def _is_lang_line(line: _Line | None) -> bool:
    return line is not None and line.text.startswith("LANG:")


def _too_long(line: _Line) -> str:
    # Readers may cut an over-long line short, so its length here is not its real length.
    return f"line {line.no} is too long (over {MAX_LINE_CHARS:,} characters)"


def _orphan_reason(line: _Line) -> str:
    """Why text that no title line introduced cannot be an item."""
    if line.kind is _Kind.HUGE:
        return _too_long(line)
    if line.kind is _Kind.DATE:
        return f"date line {line.text} without a title"
    if line.kind is _Kind.SOURCE:
        return "Source line without an item"
    if line.date is not None:
        return f"line {line.no} is too long for a title ({len(line.text)} characters)"
    return f"title line {line.no} has no date"
