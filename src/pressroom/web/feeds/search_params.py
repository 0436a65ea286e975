"""The search feed's query string: the portal search page's parameters, read its way.

The search page (``web.search_params``) defines the parameters and what they mean:
``q``, ``section``, ``publisher``, ``kind``, ``lang``, ``from``, ``to``. The feed reads
them with the same ``parse`` so a feed always lists what the page shows sorted by
date; it ignores ``sort`` and ``page`` (a feed is the newest matches). A value that
cannot mean anything (an unknown section, a date that is not one) raises
``BadParameter`` with the page's own message, for a 400.

``parse`` checks sections and publishers against collections it is given; here they
hold at most the one value asked for, read by slug (two indexed look-ups instead of
loading every publisher, as the page must for its form).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from pressroom.store.models import Publisher, Section
from pressroom.store.search import Filters
from pressroom.web import search_params

PARAMETERS = ("q", *search_params.FILTER_NAMES)


class BadParameter(ValueError):
    """A search parameter the feed cannot use; the message says which and why."""


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: Filters
    query_string: str  # the parameters used, cleaned, in a fixed order: for links


def parse(params: Mapping[str, str]) -> SearchRequest:
    """The search a feed URL asks for; ``BadParameter`` when a filter makes no sense."""
    used = {name: params.get(name) or "" for name in PARAMETERS}
    section, publisher = used["section"].strip(), used["publisher"].strip()
    sections: set[str] = set()
    if section:
        sections.update(Section.objects.filter(slug=section).values_list("slug", flat=True))
    publishers: dict[str, Publisher] = {}
    if publisher:
        found = Publisher.objects.filter(slug=publisher).only("id", "slug", "kind")
        publishers.update((p.slug, p) for p in found)
    wanted, errors = search_params.parse(used, sections, publishers)
    if errors:
        raise BadParameter(" ".join(f"{name}: {why}" for name, why in errors.items()))
    return SearchRequest(wanted.q, wanted.filters(), feed_query_string(wanted))


def feed_query_string(wanted: search_params.SearchParams) -> str:
    """The feed's parameters of a search, cleaned and in the page's order (no sort, no page)."""
    return urlencode([(name, value) for name, value in wanted.items(page=False) if name != "sort"])
