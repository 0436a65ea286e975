"""ETags that cost no query: the content version, the day and the URL, hashed.

Every answer of the API is a function of the stored articles (and publishers and
sections), the request URL, the code, and, for search ranked by relevance, today's
date (recent articles get a boost). The stored data is summarised by the portal's
*content version* (``pressroom.web.cache``), a token every writer replaces after it
commits. So the tag is known *before* the view runs, and a client whose copy is current
gets its 304 for two cache reads and no database query at all.

The tags are weak (``W/"…"``): the version is read before the data, so an answer built
while a writer was committing can carry the old version's tag (its next request then
sees the new version and gets the new answer), and two answers under one tag are the
same content, not necessarily the same bytes.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from django.utils import timezone

from pressroom import __version__
from pressroom.web.cache import content_version

# Bump when an answer's shape changes without a release (old tags must not match).
API_REVISION = "1"


def etag_for(request: HttpRequest) -> str:
    version = content_version()
    url = request.get_full_path().encode("utf-8", "surrogateescape")
    digest = hashlib.blake2b(digest_size=12)
    for part in (__version__, API_REVISION, version.token, timezone.localdate().isoformat()):
        digest.update(part.encode() + b"\0")
    digest.update(url)
    return f'W/"{digest.hexdigest()}"'
