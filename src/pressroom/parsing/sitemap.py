"""Sitemaps -> URLs: ``<urlset>`` pages (with ``lastmod``) and ``<sitemapindex>`` children.

Parsed with lxml with entities and network access off (a sitemap is data from
outside: no XXE, no billion laughs); news sitemaps' ``news:publication_date``
counts as ``lastmod``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.etree

MAX_URLS = 50_000  # the sitemap protocol's own limit per file


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None


@dataclass
class Sitemap:
    pages: list[SitemapEntry]
    children: list[SitemapEntry]  # further sitemaps (from a sitemap index)


class NotASitemap(ValueError):
    pass


_PARSER = lxml.etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)


def parse_sitemap(data: bytes) -> Sitemap:
    try:
        root = lxml.etree.fromstring(data.lstrip(), parser=_PARSER)
    except lxml.etree.XMLSyntaxError as exc:
        raise NotASitemap(f"not a sitemap: {exc}") from exc
    if root is None:
        raise NotASitemap("not a sitemap: empty document")
    kind = lxml.etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise NotASitemap(f"not a sitemap: root element <{kind}>")
    entries = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        loc = lastmod = None
        for child in el.iter():
            if not isinstance(child.tag, str):
                continue
            name = lxml.etree.QName(child).localname
            if name == "loc" and loc is None:
                loc = (child.text or "").strip()
            elif name in ("lastmod", "publication_date") and lastmod is None:
                lastmod = _when((child.text or "").strip())
        if loc and loc.startswith(("http://", "https://")):
            entries.append(SitemapEntry(loc, lastmod))
        if len(entries) >= MAX_URLS:
            break
    if kind == "sitemapindex":
        return Sitemap(pages=[], children=entries)
    return Sitemap(pages=entries, children=[])


def _when(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
