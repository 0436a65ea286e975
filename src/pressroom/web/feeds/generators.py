"""Django's Atom and RSS writers, plus the elements our entries need.

Django's ``Atom1Feed`` writes the description as ``<summary>`` and has no
``<content>``, no ``rel="via"`` link and no per-entry ``xml:lang``; ``Rss201rev2Feed``
has no per-item language. The subclasses below add them from extra keys of each item
(``content``, ``via``, ``lang``), which ``SyndicationFeed.add_item`` keeps as given.
"""

from __future__ import annotations

from typing import Any

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.xmlutils import SimplerXMLGenerator

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class AtomFeed(Atom1Feed):
    """Atom 1.0: full body in ``<content type="html">``, source in ``<link rel="via">``."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        attributes: dict[str, str] = super().item_attributes(item)
        if item.get("lang"):
            attributes["xml:lang"] = item["lang"]
        return attributes

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})
        if item.get("via"):
            handler.addQuickElement(
                "link", "", {"rel": "via", "type": "text/html", "href": item["via"]}
            )


class RssFeed(Rss201rev2Feed):
    """RSS 2.0: full body in ``<description>``, language in ``<dc:language>``, source in
    ``<atom:link rel="via">`` (RSS's own ``<source>`` must point to an RSS feed, and
    ``<comments>`` to a comments page; gov.kz pages are neither)."""

    def rss_attributes(self) -> dict[str, str]:
        attributes: dict[str, str] = super().rss_attributes()
        attributes["xmlns:dc"] = DUBLIN_CORE
        return attributes

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("lang"):
            handler.addQuickElement("dc:language", item["lang"])
        if item.get("via"):
            handler.addQuickElement(
                "atom:link", "", {"rel": "via", "type": "text/html", "href": item["via"]}
            )


FORMATS: dict[str, type[AtomFeed] | type[RssFeed]] = {"atom": AtomFeed, "rss": RssFeed}
