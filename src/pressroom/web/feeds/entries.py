"""One article as a feed entry: the full body as HTML, the source link, dates, language.

The body is stored as paragraphs of plain text; the entry shows them the way the
article page does (``web.text.paragraphs``), each one escaped, inside a ``<div
lang>`` in the article's language, then the "Source" link. Everything is computed
here once, so the feed classes only read attributes.

XML 1.0 cannot carry most control characters, and a search query or a source may
contain them: ``xml_text`` drops them, so a feed always parses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from pressroom.store.models import Article
from pressroom.store.querysets import LEAD_CHARS
from pressroom.web import i18n, links
from pressroom.web.templatetags.portal import http_url
from pressroom.web.text import lead, paragraphs

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (C0 controls, lone surrogates...)."""
    return _NOT_XML.sub("", value)


@dataclass(frozen=True)
class Entry:
    """What a feed says about one article; URLs are absolute."""

    id: int
    title: str
    link: str  # the portal's article page
    lead: str  # the first sentence, plain text
    html: str  # the full body, the notices and the source link, as HTML
    lang: str
    published: dt.datetime
    updated: dt.datetime
    author: str | None  # the publisher's name in the interface language
    author_link: str | None  # the publisher's portal page
    categories: tuple[str, ...]  # section names in the interface language
    source_url: str | None  # the original (gov.kz), http(s) only


def published_at(day: dt.date) -> dt.datetime:
    """Articles have a date, feeds want a time: midnight where the site is."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def body_html(article: Article) -> str:
    """The article's text as the feed shows it (every value escaped)."""
    lang = escape(article.lang)
    html = [f'<div lang="{lang}">']
    html.extend(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs(article.body))
    html.append("</div>")
    if article.truncated:
        note = gettext(
            "Only the beginning of this release was available to us. "
            "The full text is at the source."
        )
        html.append(f"<p><em>{escape(note, quote=False)}</em></p>")
    if article.withdrawn_at:
        day = links.news_date(timezone.localtime(article.withdrawn_at).date())
        note = gettext(
            "The publisher withdrew this release on %(date)s. It is kept here as it was published."
        ) % {"date": day}
        html.append(f"<p><em>{escape(note, quote=False)}</em></p>")
    source = http_url(article.source_url)
    if source:
        href = escape(source)
        html.append(f'<p>{escape(gettext("Source"), quote=False)}: <a href="{href}">{href}</a></p>')
    return xml_text("".join(html))


def entry(article: Article, request: HttpRequest) -> Entry:
    """``article`` (publisher joined, sections prefetched) as an entry."""
    interface = i18n.current_language()
    publisher = article.publisher
    published = published_at(article.published)
    return Entry(
        id=article.pk,
        title=xml_text(article.title),
        link=request.build_absolute_uri(links.article_url(article, interface)),
        lead=xml_text(lead(article.body[:LEAD_CHARS])),
        html=body_html(article),
        lang=article.lang,
        published=published,
        updated=max(published, article.updated_at),
        author=xml_text(i18n.publisher_name(publisher, interface)) if publisher else None,
        author_link=(
            request.build_absolute_uri(links.publisher_url(publisher, interface))
            if publisher
            else None
        ),
        categories=tuple(xml_text(i18n.section_name(s)) for s in article.sections.all()),
        source_url=http_url(article.source_url) or None,
    )


def entries(articles: Iterable[Article], request: HttpRequest) -> list[Entry]:
    return [entry(article, request) for article in articles]
