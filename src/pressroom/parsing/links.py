"""An index page -> the links on it that look like articles of the same site.

A ``page`` source is a news index (a ministry's press page): its article links
are followed and each article is extracted. "Looks like an article": same host,
not the page itself, not a fragment, a file or a login/tag/category/search page,
and a path that is deeper than the index or carries a number (an id or a date).
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html

MAX_LINKS = 100
_SKIP = re.compile(
    r"/(tag|tags|category|categories|search|login|signin|signup|register|author|feed|rss)(/|$)"
    r"|\.(jpg|jpeg|png|gif|svg|pdf|zip|docx?|xlsx?|mp3|mp4)$",
    re.I,
)
_NUMBER = re.compile(r"\d{3,}")


def article_links(html: str, page_url: str) -> list[str]:
    if not html.strip():
        return []
    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    page = urlsplit(page_url)
    page_depth = len([s for s in page.path.split("/") if s])
    found: list[str] = []
    seen = {urldefrag(page_url)[0]}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = urldefrag(urljoin(page_url, href))[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != page.hostname:
            continue
        if url in seen or _SKIP.search(parts.path):
            continue
        depth = len([s for s in parts.path.split("/") if s])
        if depth > page_depth or _NUMBER.search(parts.path + "?" + parts.query):
            seen.add(url)
            found.append(url)
            if len(found) >= MAX_LINKS:
                break
    return found
