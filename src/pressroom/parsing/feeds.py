"""Feeds -> items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

The body is decoded first (``sources.fetch.charset``: header, XML prolog, then
detection) and handed to feedparser as UTF-8, so a feed whose declaration lies
still comes out right. Item HTML is sanitised into paragraphs
(``parsing.html``). A feed that does not parse cleanly keeps the items read
before the fault except the last one, which may be cut off; ``FeedParse.problem``
says what was wrong so the source's health shows it. Items repeated inside one
feed are kept once, and at most ``MAX_ITEMS`` are read.
"""

from __future__ import annotations

import calendar
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pressroom.parsing.html import Image, html_to_paragraphs, html_to_text

MAX_ITEMS = 1000
SUMMARY_ONLY_CHARS = 600  # an item with less text than this and no full content is a teaser
_PROLOG_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*)[\"'][^\"']*[\"']", re.I)
_ELLIPSIS = ("...", "…", "[…]", "[...]")


@dataclass
class FeedItem:
    """One entry of a feed, as text."""

    title: str
    link: str | None
    guid: str | None
    published: datetime | None
    paragraphs: list[str]
    images: list[Image] = field(default_factory=list)
    full_text: bool = False  # the feed carried the whole story, not a teaser
    lang: str | None = None

    @property
    def identity(self) -> str | None:
        """What names this item across polls: its link, else its guid."""
        return self.link or self.guid

    @property
    def published_date(self) -> date | None:
        return self.published.date() if self.published else None


@dataclass
class FeedParse:
    title: str | None
    lang: str | None
    link: str | None
    items: list[FeedItem]
    kind: str  # "rss20", "atom10", "json" ... as feedparser names it
    problem: str | None = None  # malformed or truncated: the items may be incomplete


class NotAFeed(ValueError):
    """The document is no feed at all (an HTML page, an error page, garbage)."""


def parse_feed(text: str, base_url: str | None = None) -> FeedParse:
    """Parse decoded feed text; raise ``NotAFeed`` when there is no feed in it."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _parse_json_feed(stripped, base_url)
    return _parse_xml_feed(stripped, base_url)


def _parse_xml_feed(text: str, base_url: str | None) -> FeedParse:
    import feedparser

    data = _PROLOG_ENCODING.sub(r'\1"utf-8"', text, count=1).encode("utf-8")
    parsed = feedparser.parse(
        data,
        response_headers={"content-type": "application/xml; charset=utf-8"},
        resolve_relative_uris=True,
        sanitize_html=False,  # we sanitise with nh3 ourselves
    )
    if not parsed.version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not a feed ({reason})" if reason else "not a feed")
    feed = parsed.feed
    feed_lang = _lang(feed.get("language"))
    problem = None
    entries = list(parsed.entries)
    if parsed.bozo and not _harmless(parsed.get("bozo_exception")):
        problem = f"malformed feed: {parsed.bozo_exception}"
        entries = entries[:-1]  # the entry at the fault may be cut off
    link = feed.get("link") or base_url
    items = _unique(_xml_item(e, link, feed_lang) for e in entries)
    return FeedParse(
        title=html_to_text(feed.get("title", "")) or None,
        lang=feed_lang,
        link=feed.get("link"),
        items=items,
        kind=parsed.version or "unknown",
        problem=problem,
    )


def _harmless(exc: Any) -> bool:
    """feedparser flags an encoding override we caused ourselves; that is no fault."""
    name = exc.__class__.__name__ if exc is not None else ""
    return name in ("CharacterEncodingOverride", "NonXMLContentType")


def _xml_item(entry: Any, base_url: str | None, feed_lang: str | None) -> FeedItem | None:
    link = entry.get("link") or None
    content = entry.get("content") or []
    html_content = max((c.get("value", "") for c in content), key=len, default="")
    summary = entry.get("summary", "") or entry.get("description", "")
    source = html_content if len(html_content) >= len(summary) else summary
    paragraphs, images = html_to_paragraphs(source, link or base_url)
    enclosures = _enclosure_images(entry, {i.url for i in images})
    paragraphs += [i.paragraph() for i in enclosures]
    images += enclosures
    title = html_to_text(entry.get("title", ""))
    if not title and not paragraphs:
        return None
    with warnings.catch_warnings():  # feedparser warns that it maps one key to the other
        warnings.simplefilter("ignore", DeprecationWarning)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    text_chars = sum(len(p) for p in paragraphs if not p.startswith("!["))
    full = bool(html_content) and len(html_content) >= len(summary)
    if not full:
        last = paragraphs[-1] if paragraphs else ""
        full = text_chars >= SUMMARY_ONLY_CHARS and not last.endswith(_ELLIPSIS)
    return FeedItem(
        title=title or (paragraphs[0][:200] if paragraphs else ""),
        link=link,
        guid=entry.get("id") or None,
        published=published,
        paragraphs=paragraphs,
        images=images,
        full_text=full,
        lang=_lang(entry.get("language")) or feed_lang,
    )


def _enclosure_images(entry: Any, seen: set[str]) -> list[Image]:
    found = []
    for media in [*entry.get("media_content", []), *entry.get("enclosures", [])]:
        url = media.get("url") or media.get("href")
        kind = media.get("type", "") or media.get("medium", "")
        if url and url not in seen and "image" in kind and url.startswith(("http://", "https://")):
            seen.add(url)
            found.append(Image(url=url, alt=""))
    return found


def _parse_json_feed(text: str, base_url: str | None) -> FeedParse:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotAFeed(f"not a JSON feed: {exc}") from exc
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        raise NotAFeed("JSON without a jsonfeed.org version")
    feed_lang = _lang(doc.get("language"))
    items = []
    for entry in (doc.get("items") or [])[: MAX_ITEMS * 2]:
        if not isinstance(entry, dict):
            continue
        link = entry.get("url") or entry.get("external_url")
        html = entry.get("content_html") or ""
        plain = entry.get("content_text") or entry.get("summary") or ""
        paragraphs, images = html_to_paragraphs(html or plain, link or base_url)
        if entry.get("image"):
            extra = Image(url=str(entry["image"]), alt="")
            if extra.url.startswith(("http://", "https://")) and extra not in images:
                images.append(extra)
                paragraphs.append(extra.paragraph())
        stamp = entry.get("date_published") or entry.get("date_modified")
        items.append(
            FeedItem(
                title=html_to_text(str(entry.get("title") or "")) or (paragraphs or [""])[0][:200],
                link=link,
                guid=str(entry["id"]) if entry.get("id") is not None else None,
                published=_iso_datetime(stamp),
                paragraphs=paragraphs,
                images=images,
                full_text=bool(entry.get("content_html") or entry.get("content_text")),
                lang=_lang(entry.get("language")) or feed_lang,
            )
        )
    return FeedParse(
        title=doc.get("title"),
        lang=feed_lang,
        link=doc.get("home_page_url"),
        items=_unique(items),
        kind="json" + str(doc.get("version", "")).rsplit("/", 1)[-1],
    )


def _unique(items: Any) -> list[FeedItem]:
    """Each item once (by identity, else title), at most ``MAX_ITEMS``."""
    seen: set[str] = set()
    out: list[FeedItem] = []
    for item in items:
        if item is None or not item.title:
            continue
        key = item.identity or f"title:{item.title}"
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
        if len(out) >= MAX_ITEMS:
            break
    return out


def _lang(value: Any) -> str | None:
    """The primary subtag of a language tag (``ru-RU`` -> ``ru``), if it is two letters."""
    if not value or not isinstance(value, str):
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


def _iso_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
