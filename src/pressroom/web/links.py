"""Links and dates for the portal, fast: list pages show hundreds of them.

``reverse()`` walks the URL resolver on every call (~0.2 ms); here each pattern is
reversed once per language and the argument is put into place, quoted the same way.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats
from django.utils.translation import override

from pressroom.store.models import Publisher, Section
from pressroom.web import i18n

URL_SAFE = "!$&'()*+,;=/~:@"  # what Django's reverse() leaves unquoted
# A page's links to itself (language switcher, hreflang, canonical) keep its query string
# up to this length; past it (only a pasted search gets there) they leave it out, or a
# 10,000-character ?q= would be copied into every one of them.
MAX_LINKED_QUERY = 2_000
_MARKER = "9876543210"


@cache
def _url_parts(name: str, lang: str) -> tuple[str, str]:
    """A URL pattern's text before and after its one argument, reversed once per language."""
    with override(lang):
        url = reverse(name, args=[_MARKER])
    before, _marker, after = url.partition(_MARKER)
    return before, after


def url(name: str, arg: object, lang: str | None = None) -> str:
    before, after = _url_parts(name, lang or i18n.current_language())
    return before + quote(str(arg), safe=URL_SAFE) + after


def article_url(article: Any, lang: str | None = None) -> str:
    return url("portal:article", article.pk, lang)


def publisher_url(publisher: Publisher, lang: str | None = None) -> str:
    return url("portal:publisher", publisher.slug, lang)


def section_url(section: Section, lang: str | None = None) -> str:
    return url("portal:section", section.slug, lang)


def news_date(value: dt.date | None, lang: str | None = None) -> str:
    """A date as the interface language writes it (formatted once per day and language)."""
    return _news_date(value, lang or i18n.current_language()) if value else ""


@lru_cache(maxsize=4096)
def _news_date(value: dt.date, lang: str) -> str:
    with override(lang):
        return formats.date_format(value, "DATE_FORMAT")
