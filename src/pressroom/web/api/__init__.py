"""The read-only JSON API at ``/api/v1/`` (django-ninja), described in ``docs/api.md``.

``api.py`` holds the ``NinjaAPI`` with its error handlers, ``routes/`` one module per
resource, ``schemas.py`` the shapes of requests and answers (and so the OpenAPI
document), ``pagination.py`` the signed cursors, and ``guard.py`` what every answer goes
through: the per-client rate limit (``ratelimit.py``) and ETags (``etag.py``).
"""
