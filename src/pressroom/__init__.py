"""Pressroom: official press releases in, clean de-duplicated articles out.

Data flows one way: ``sources`` (fetch) -> ``parsing`` (candidate articles) ->
``pipeline`` (normalise, de-duplicate, store) -> ``store`` (models, search) ->
``web`` (portal, feeds, API), with ``cli`` on top.
"""

__version__ = "0.1.0"
