"""What a page tells link previews and search engines: canonical URL, OpenGraph, schema.org.

Article pages get the full set (``article_metadata``): ``og:*`` and ``article:*`` tags and
a JSON-LD ``NewsArticle``. Their canonical URL is the article under its own language's
prefix (``sitemaps.article_path``): ``/en/article/7/`` and ``/ru/article/7/`` show the
same Russian story, and both name ``/ru/article/7/``. Their ``hreflang`` links are the
story's translations, like the sitemap's. Other pages are their own canonical URL
(``canonical_url``), their interface languages the alternates.

JSON-LD sits in ``<script type="application/ld+json">``: a *data block*, which browsers
never run, so the Content-Security-Policy (``script-src 'self'``) neither applies to it
nor needs changing. It is escaped as Django's ``json_script`` escapes: no ``<``, ``>`` or
``&`` is left in the JSON, so no text can close the element or open a comment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import override

from pressroom.store.models import Article, Section
from pressroom.web import i18n, links
from pressroom.web.sitemaps import article_path, canonical_language

SITE_NAME = "Pressroom"
DESCRIPTION_CHARS = 200
# OpenGraph wants language_TERRITORY.
OG_LOCALES = {"en": "en_US", "ru": "ru_RU", "kk": "kk_KZ"}
# Query parameters that do not change what a page is: the snapshot of a numbered list.
NOT_CANONICAL = frozenset({"upto"})
_JSON_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def canonical_url(request: HttpRequest) -> str:
    """This page's own address: the snapshot parameter and ``page=1`` left out."""
    params = [
        (k, v)
        for k, v in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if k not in NOT_CANONICAL and not (k == "page" and v == "1")
    ]
    query = f"?{urlencode(params)}" if params else ""
    if len(query) > links.MAX_LINKED_QUERY:  # only searches get there; they are noindex anyway
        query = ""
    return request.build_absolute_uri(request.path + query)


def trim(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """At most ``limit`` characters, cut at a word boundary, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":  # the last word is cut short: leave it out
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def json_ld(data: dict[str, Any]) -> SafeString:
    """A ``<script type="application/ld+json">`` element that no text inside can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@dataclass
class ArticleMetadata:
    canonical: str
    description: str
    og: list[tuple[str, str]]  # (property, content), in order
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (hreflang, href)
    json_ld: SafeString = field(default_factory=lambda: SafeString(""))


def article_metadata(
    request: HttpRequest,
    article: Article,
    paragraphs: list[str],
    sections: list[Section],
    translations: list[Article],
) -> ArticleMetadata:
    """Everything the article page's ``<head>`` says about it; no database query."""
    lang = canonical_language(article.lang)
    canonical = request.build_absolute_uri(article_path(article.pk, article.lang))
    description = trim(paragraphs[0] if paragraphs else article.title)
    with override(lang):  # names as the article's own language writes them
        section_names = [i18n.section_name(s) for s in sections]
        publisher = i18n.publisher_name(article.publisher) if article.publisher else ""
    published = article.published.isoformat()
    modified = article.updated_at.isoformat(timespec="seconds")
    alternates = [(article.lang, canonical)] + [
        (t.lang, request.build_absolute_uri(article_path(t.pk, t.lang))) for t in translations
    ]

    og = [
        ("og:type", "article"),
        ("og:site_name", SITE_NAME),
        ("og:title", article.title),
        ("og:description", description),
        ("og:url", canonical),
    ]
    og += [("og:locale", OG_LOCALES[article.lang])] if article.lang in OG_LOCALES else []
    og += [
        ("og:locale:alternate", OG_LOCALES[t.lang]) for t in translations if t.lang in OG_LOCALES
    ]
    og += [("article:published_time", published), ("article:modified_time", modified)]
    og += [("article:section", section_names[0])] if section_names else []

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": article.lang,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "isAccessibleForFree": True,
    }
    if section_names:
        data["articleSection"] = section_names
    if publisher:
        organization: dict[str, Any] = {"@type": "Organization", "name": publisher}
        if article.publisher and article.publisher.home_url.startswith(("http://", "https://")):
            organization["url"] = article.publisher.home_url
        data["publisher"] = organization
        data["author"] = organization
    if article.source_url and article.source_url.startswith(("http://", "https://")):
        data["isBasedOn"] = article.source_url
    return ArticleMetadata(
        canonical=canonical,
        description=description,
        og=og,
        alternates=alternates if translations else [],
        json_ld=json_ld(data),
    )


def og_locale(lang: str) -> str:
    return OG_LOCALES.get(lang, OG_LOCALES[settings.LANGUAGE_CODE])
