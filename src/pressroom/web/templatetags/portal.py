"""Template helpers of the portal: names in the reader's language, safe links, assets."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.templatetags.static import static

from pressroom.store.models import Publisher, Section
from pressroom.web import fragments, i18n, links
from pressroom.web import text as text_helpers
from pressroom.web.links import MAX_LINKED_QUERY

register = template.Library()


@register.filter
def section_name(section: Section) -> str:
    return i18n.section_name(section)


@register.filter
def publisher_name(publisher: Publisher | None) -> str:
    return i18n.publisher_name(publisher) if publisher else ""


@register.filter
def kind_name(kind: str) -> str:
    return i18n.kind_name(kind)


@register.filter
def language_name(code: str) -> str:
    return str(i18n.LANGUAGE_NAMES.get(code, code))


@register.filter
def foreign_language(code: str) -> str:
    return i18n.foreign_language(code)


@register.filter
def http_url(url: str | None) -> str:
    """The URL if it is a plain http(s) link, else '' (no javascript:, data: ... links)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else ""


@register.filter
def lead(article: Any) -> str:
    return text_helpers.lead(getattr(article, "lead", "") or "")


@register.filter
def article_url(article: Any) -> str:
    return links.article_url(article)


@register.filter
def publisher_url(publisher: Publisher) -> str:
    return links.publisher_url(publisher)


@register.filter
def section_url(section: Section) -> str:
    return links.section_url(section)


@register.filter
def news_date(value: dt.date | None) -> str:
    return links.news_date(value)


@register.simple_tag
def list_item(article: Any, heading: str = "h3") -> str:
    return fragments.list_item(article, heading)


@register.simple_tag
def article_meta(article: Any) -> str:
    return fragments.meta(article)


@register.simple_tag
def asset(path: str) -> str:
    """A static file's URL with a hash of its content, so browsers may cache it long."""
    return f"{static(path)}?v={_digest(path)}"


@cache
def _digest(path: str) -> str:
    found = finders.find(path)
    if not found or isinstance(found, list):
        return "0"
    with open(found, "rb") as f:
        return hashlib.blake2b(f.read(), digest_size=6).hexdigest()


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """This page in each interface language: the switcher and the hreflang links.

    Every portal URL is ``/<language>/<the same path for every language>``, so the other
    languages' URLs differ only in the prefix (``translate_url`` would resolve and reverse
    the path for each language, a tenth of a page's time, for the same answer).
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    long_query = len(request.META.get("QUERY_STRING", "")) > MAX_LINKED_QUERY
    here = request.path if long_query else request.get_full_path()
    prefix, _slash, rest = here[1:].partition("/")
    if prefix not in i18n.LANGUAGE_CODES:
        return []
    current = i18n.current_language()
    links = []
    for code in i18n.LANGUAGE_CODES:
        url = f"/{code}/{rest}"
        links.append(
            {
                "code": code,
                "name": i18n.SELF_NAMES[code],
                "url": url,
                "absolute": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return links


@register.simple_tag
def nav_sections() -> list[Section]:
    """The sections for the site's navigation (one query, cached with the page)."""
    return list(
        Section.objects.order_by("position", "name").only(
            "id", "slug", "name", "name_ru", "name_kk"
        )[:20]
    )
