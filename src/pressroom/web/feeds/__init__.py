"""Atom and RSS 2.0 feeds of the portal's lists, and the links that let readers find them.

``selection`` decides what a feed lists (home, a section, a publisher, a language, a
search), ``entries`` turns articles into feed entries (the full body as HTML, the
source link), ``generators`` adds what Django's feed writers leave out (Atom
``<content>``, ``rel="via"``, per-entry language), ``views`` serves them through
Django's syndication framework and the portal's page cache, and ``discovery`` works
out which feeds a page offers. See docs/feeds.md.
"""
