"""gov.kz news URLs and a best-effort guess of who published them.

A gov.kz news page lives at
``https://www.gov.kz/memleket/entities/{slug}/press/news/details/{id}?lang={kk|ru|en}``;
the slug names the publishing state body. ``parse_govkz_url`` tolerates ``http``, a
missing ``www``, a trailing slash, extra query parameters and a fragment, so that every
spelling of one page gives one ``GovKzRef`` and one ``canonical_url``.

Publisher kind rules (``guess_publisher_kind``), first match wins:

1. ``mfa`` is the Ministry of Foreign Affairs -> ``ministry``;
   ``mfa-<city>`` (``mfa-ljubljana``, ``mfa-strasbourg``) are its embassies, consulates
   and permanent missions -> ``embassy``.
2. A known ministry slug (``MINISTRIES``: ``moa``, ``tsm``, ``water``, ``minfin``...)
   -> ``ministry``.
3. A known agency slug (``AGENCIES``: ``anticorruption``, ``afm``, ``ardfm``...)
   -> ``agency``.
4. A known region or city akimat slug (``AKIMATS``: the cities ``astana``, ``almaty``,
   ``shymkent`` and the regions ``almobl``, ``kostanay``, ``zhetysu``...) -> ``akimat``.
5. ``<ministry or akimat slug>-<suffix>`` is a body under that parent: a regional
   department (``almobl-zkh``, housing and utilities of Almaty region), a committee's
   territorial office or an institution such as ``zhetysu-archive`` -> ``department``.
   Slugs starting with ``duis`` (penitentiary-system departments, ``duisalmjetobl``)
   -> ``department`` too.
6. Anything else -> ``other``.

The tables hold slugs seen in our data plus well-known gov.kz slugs; a wrong or missing
entry only makes a guess coarser (``other``), it never loses an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_HOSTS = frozenset({"gov.kz", "www.gov.kz"})
_LANGS = frozenset({"kk", "ru", "en"})
_PATH_RE = re.compile(
    r"/memleket/entities/(?P<slug>[a-z0-9][a-z0-9_-]{0,99})/press/news/details/(?P<id>\d{1,12})/?",
    re.IGNORECASE,
)

MINISTRIES = frozenset(
    {
        "mfa",
        "moa",  # agriculture
        "tsm",  # tourism and sport
        "water",  # water resources and irrigation
        "minfin",
        "economy",  # national economy
        "edu",  # education
        "sci",  # science and higher education
        "dsm",  # healthcare
        "enbek",  # labour and social protection
        "adilet",  # justice
        "qriim",  # internal affairs
        "mod",  # defence
        "energo",
        "ecogeo",  # ecology and natural resources
        "emer",  # emergency situations
        "transport",
        "mti",  # trade and integration
        "mdai",  # digital development, innovation and aerospace industry
    }
)
AGENCIES = frozenset(
    {
        "anticorruption",
        "afm",  # financial monitoring
        "ardfm",  # regulation and development of the financial market
        "aspr",  # strategic planning and reforms
        "stat",  # bureau of national statistics
    }
)
AKIMATS = frozenset(
    {
        "astana",
        "almaty",
        "shymkent",
        "abay",
        "akmola",
        "aktobe",
        "almobl",
        "atyrau",
        "bko",
        "zko",
        "vko",
        "sko",
        "zhambyl",
        "zhetysu",
        "karaganda",
        "kostanay",
        "kyzylorda",
        "mangystau",
        "pavlodar",
        "turkestan",
        "ulytau",
    }
)
_DEPARTMENT_PREFIXES = ("duis",)


@dataclass(frozen=True, slots=True)
class GovKzRef:
    """One gov.kz news item: publisher slug, numeric id and (if the URL named one) language."""

    slug: str
    news_id: int
    lang: str | None

    @property
    def canonical_url(self) -> str:
        """The one spelling of this URL: https, www, lowercase slug, only ``lang`` kept."""
        url = f"https://www.gov.kz/memleket/entities/{self.slug}/press/news/details/{self.news_id}"
        return f"{url}?lang={self.lang}" if self.lang else url


def parse_govkz_url(url: str) -> GovKzRef | None:
    """Return the reference a gov.kz news URL points to, or None if it is not one.

    A ``lang`` other than kk/ru/en is treated as absent rather than failing the URL.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or (parts.hostname or "") not in _HOSTS:
        return None
    match = _PATH_RE.fullmatch(parts.path)
    if match is None or int(match["id"]) == 0:
        return None
    langs = parse_qs(parts.query).get("lang", [])
    lang = langs[0].lower() if langs else None
    return GovKzRef(
        slug=match["slug"].lower(),
        news_id=int(match["id"]),
        lang=lang if lang in _LANGS else None,
    )


def parse_govkz_path(url: str) -> GovKzRef | None:
    """Like ``parse_govkz_url`` for a host that serves gov.kz's URL scheme under another
    name (a mirror, a test server): only the path and ``lang`` are read."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return parse_govkz_url(parts._replace(scheme="https", netloc="www.gov.kz").geturl())


def guess_parent_slug(slug: str) -> str | None:
    """The slug of the body ``slug`` belongs to, when the slug itself says so.

    ``mfa-ljubljana`` -> ``mfa``, ``almobl-zkh`` -> ``almobl``; None otherwise.
    """
    head, sep, tail = slug.lower().partition("-")
    if sep and tail and (head in MINISTRIES or head in AKIMATS):
        return head
    return None


def guess_publisher_kind(slug: str) -> str:
    """One of ministry, embassy, akimat, agency, department, other (rules in the module doc)."""
    slug = slug.lower()
    parent = guess_parent_slug(slug)
    if parent == "mfa":
        return "embassy"
    if slug in MINISTRIES:
        return "ministry"
    if slug in AGENCIES:
        return "agency"
    if slug in AKIMATS:
        return "akimat"
    if parent is not None or slug.startswith(_DEPARTMENT_PREFIXES):
        return "department"
    return "other"
