"""Names in the reader's language: sections, publishers, languages, publisher kinds.

The interface language comes from the URL prefix (``/en/``, ``/ru/``, ``/kk/``), so a
page's content depends on its URL alone and can be cached by it. Section names come
from the source pages in English; an editor may set ``name_ru``/``name_kk``, otherwise
the message catalogue translates the names we know.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import get_language, gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pressroom.store.models import Publisher, Section

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)

# Section names seen on the source pages, so that the catalogues carry a translation.
KNOWN_SECTIONS = (
    gettext_noop("News"),
    gettext_noop("Society"),
    gettext_noop("World"),
    gettext_noop("Politics"),
    gettext_noop("Economics"),
    gettext_noop("Business"),
    gettext_noop("Science"),
    gettext_noop("Technology"),
    gettext_noop("Culture"),
    gettext_noop("Law"),
    gettext_noop("Tourism"),
)

# Month names as dates use them (Django's Kazakh catalogue capitalises them; our
# catalogues, searched first, give "3 ақпан 2026 ж."). Listed here for makemessages.
MONTHS = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)

# "In Russian": marks an item whose language is not the interface's.
IN_LANGUAGE = {
    "en": _("in English"),
    "ru": _("in Russian"),
    "kk": _("in Kazakh"),
}
LANGUAGE_NAMES = {
    "en": _("English"),
    "ru": _("Russian"),
    "kk": _("Kazakh"),
}
# Each language named in itself, for the switcher (never translated).
SELF_NAMES = dict(settings.LANGUAGES)

KIND_PLURALS = {
    Publisher.Kind.MINISTRY: pgettext_lazy("publisher kind", "Ministries"),
    Publisher.Kind.AGENCY: pgettext_lazy("publisher kind", "Agencies"),
    Publisher.Kind.AKIMAT: pgettext_lazy("publisher kind", "Akimats"),
    Publisher.Kind.EMBASSY: pgettext_lazy("publisher kind", "Embassies and missions"),
    Publisher.Kind.DEPARTMENT: pgettext_lazy("publisher kind", "Departments and offices"),
    Publisher.Kind.OTHER: pgettext_lazy("publisher kind", "Other publishers"),
}
KIND_NAMES = {
    Publisher.Kind.MINISTRY: pgettext_lazy("publisher kind", "Ministry"),
    Publisher.Kind.AGENCY: pgettext_lazy("publisher kind", "Agency"),
    Publisher.Kind.AKIMAT: pgettext_lazy("publisher kind", "Akimat"),
    Publisher.Kind.EMBASSY: pgettext_lazy("publisher kind", "Embassy or mission"),
    Publisher.Kind.DEPARTMENT: pgettext_lazy("publisher kind", "Department or office"),
    Publisher.Kind.OTHER: pgettext_lazy("publisher kind", "Other"),
}


def current_language() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    return lang if lang in LANGUAGE_CODES else settings.LANGUAGE_CODE


def section_name(section: Section) -> str:
    lang = current_language()
    own = getattr(section, f"name_{lang}", "") if lang != "en" else ""
    return own or gettext(section.name)


def publisher_name(publisher: Publisher, lang: str | None = None) -> str:
    lang = lang or current_language()
    return getattr(publisher, f"name_{lang}", "") or publisher.name_en or publisher.slug


def kind_name(kind: str, plural: bool = False) -> str:
    table: Mapping[Any, Any] = KIND_PLURALS if plural else KIND_NAMES
    return str(table.get(kind, table[Publisher.Kind.OTHER]))


def foreign_language(code: str) -> str:
    """'in Russian' when an item's language is not the interface's, else ''."""
    if code == current_language():
        return ""
    return str(IN_LANGUAGE.get(code, ""))


def language_filter(value: str | None) -> str | None:
    """The ``?lang=`` filter of a list, or None for every language (unknown values too)."""
    return value if value in LANGUAGE_CODES else None
