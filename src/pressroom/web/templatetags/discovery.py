"""Template tags for every page's ``<head>``: the canonical link and basic OpenGraph tags.

``{% opengraph %}`` reuses the page's own ``title`` and ``description`` blocks, so no
page has to say its title twice: Django renders a block once, but a tag can render
the most specific override of a named block again (as ``{% block %}`` itself does).
"""

from __future__ import annotations

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from pressroom.web import i18n, metadata

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context) -> str:
    request = context.get("request")
    return metadata.canonical_url(request) if request is not None else ""


def _block_text(context: template.Context, name: str) -> str:
    """The named block as this page renders it (its most specific override), as plain text."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    if not isinstance(blocks, BlockContext):
        return ""
    # What BlockNode.render does: take the override off the stack while it renders, so
    # that a {{ block.super }} in it finds its parent.
    found = blocks.pop(name)
    if found is None:
        return ""
    try:
        node = BlockNode(found.name, found.nodelist)
        node.context = context
        with context.push(block=node):
            rendered: str = node.nodelist.render(context)
    finally:
        blocks.push(name, found)
    return " ".join(rendered.split())  # already escaped: the result is marked safe below


@register.simple_tag(takes_context=True)
def opengraph(context: template.Context) -> SafeString:
    """``og:*`` tags of an ordinary page: its title, description, URL and interface language."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    lang = i18n.current_language()
    tags: list[tuple[str, str]] = [
        ("og:type", "website"),
        ("og:site_name", metadata.SITE_NAME),
        ("og:title", SafeString(_block_text(context, "title"))),
        ("og:description", SafeString(_block_text(context, "description"))),
        ("og:url", metadata.canonical_url(request)),
        ("og:locale", metadata.og_locale(lang)),
    ]
    tags += [
        ("og:locale:alternate", metadata.og_locale(code))
        for code in i18n.LANGUAGE_CODES
        if code != lang
    ]
    return format_html_join("\n", '<meta property="{}" content="{}">', tags)
