"""Opaque, signed cursors: where the next page of a list starts.

A cursor is the position of the last item a page showed, signed with the site's secret
key (``django.core.signing``), so a client can hand it back but cannot forge or edit one:
a changed character fails the signature and the request gets a 400, never a query built
from tampered values. Each cursor names its list (``kind``), so one list's cursor is
refused by another.

Article lists are *keyset* pages on the public order (newest ``published`` first, then
newest ``id``): the next page starts strictly after the last (published, id) shown. Rows
inserted meanwhile never shift the pages: nothing already listed comes again and
nothing that existed when the walk began is skipped, whatever arrives in between.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest

SALT = "pressroom.web.api.cursor"
MAX_CURSOR_CHARS = 400  # a publisher cursor with a 120-character slug is ~215
MAX_ID = 2**63 - 1  # the largest BIGINT on both databases
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class CursorError(ValueError):
    """A cursor this server did not issue for this list (or one it can no longer read)."""


def encode(kind: str, *position: Any) -> str:
    return signing.Signer(salt=SALT).sign_object([kind, *position])


def decode(token: str, kind: str) -> list[Any]:
    """The position inside a cursor of ``kind``; ``CursorError`` for anything else."""
    if len(token) > MAX_CURSOR_CHARS:
        raise CursorError("The cursor is not one this API issued.")
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):  # bad signature, base64 or JSON
        raise CursorError("The cursor is not one this API issued (or it was changed).") from None
    if not isinstance(value, list) or not value or value[0] != kind:
        raise CursorError("The cursor belongs to another list.")
    return value[1:]


def article_cursor(published: date, article_id: int) -> str:
    return encode("a", published.toordinal(), article_id)


def article_position(token: str) -> tuple[date, int]:
    """(published, id) of the last article shown."""
    position = decode(token, "a")
    if len(position) == 2 and all(_is_int(v) for v in position):
        ordinal, article_id = position
        if 1 <= ordinal <= date.max.toordinal() and 1 <= article_id <= MAX_ID:
            return date.fromordinal(ordinal), article_id
    raise CursorError("The cursor is not one this API issued.")


def slug_cursor(kind: str, slug: str) -> str:
    return encode(kind, slug)


def slug_position(token: str, kind: str) -> str:
    position = decode(token, kind)
    if len(position) == 1 and isinstance(position[0], str):
        return position[0]
    raise CursorError("The cursor is not one this API issued.")


def page_cursor(kind: str, page: int) -> str:
    return encode(kind, page)


def page_position(token: str, kind: str, max_page: int) -> int:
    position = decode(token, kind)
    if len(position) == 1 and _is_int(position[0]) and 1 <= position[0] <= max_page:
        return int(position[0])
    raise CursorError("The cursor is not one this API issued.")


def next_url(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's absolute URL with ``cursor`` in place of the current one."""
    if cursor is None:
        return None
    items: list[tuple[str, str]] = []
    for name, values in request.GET.lists():
        if name != "cursor":
            items += [(name, value) for value in values]
    items.append(("cursor", cursor))
    return request.build_absolute_uri(f"{request.path}?{urlencode(items)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
