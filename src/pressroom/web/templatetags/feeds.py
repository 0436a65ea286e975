"""Template tags for feeds: autodiscovery links in every page's head, subscribe links.

``{% feed_links %}`` (in ``portal/base.html``) writes ``<link rel="alternate">`` for
every feed the page offers; ``{% subscribe_links %}`` shows readers the page's own
feed. Both work from the URL and the template context alone: no query.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from pressroom.web.feeds.discovery import page_feeds

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context: template.Context) -> SafeString:
    """``<link rel="alternate" type="application/atom+xml" ...>`` for each feed of the page."""
    links = page_feeds(context.get("request"), context)
    return mark_safe(  # every value escaped
        "".join(
            f'\n<link rel="alternate" type="{link.media_type}" '
            f'title="{escape(link.title)}" href="{escape(link.href)}">'
            for link in links
        )
    )


@register.inclusion_tag("feeds/_subscribe.html", takes_context=True)
def subscribe_links(context: template.Context) -> dict[str, Any]:
    """The page's own feed (a section's, a publisher's...; else the home feed), both formats."""
    links = page_feeds(context.get("request"), context)
    own = [link for link in links if link.name not in ("feeds:home", "feeds:language")]
    return {"links": own or [link for link in links if link.name == "feeds:home"]}
