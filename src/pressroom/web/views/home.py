"""The home page: one block per section, in the configured order, newest items first."""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pressroom.store.models import Section
from pressroom.web.cache import public_page
from pressroom.web.views.common import load_articles, section_rows

ITEMS_PER_SECTION = 7  # a lead story and three rows of two
MAX_SECTIONS = 20


def newest_per_section(sections: list[Section], n: int) -> dict[int, list[int]]:
    """The ``n`` newest visible article ids of every section, in one statement.

    Each section's part is its own index walk (``section_rows``, limited to ``n``); the
    parts are joined with UNION ALL so the page makes one round trip, not one per
    section. UNION ALL does not promise to keep each part's order, so it is restored here.
    """
    if not sections:
        return {}
    part = _part_sql(n, connection.vendor)
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) AS part{i}" for i in range(len(sections)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [section.pk for section in sections])
        rows = cursor.fetchall()
    newest: dict[int, list[int]] = {section.pk: [] for section in sections}
    for section_id, _published, article_id in sorted(
        rows, key=lambda r: (r[1], r[2]), reverse=True
    ):
        newest[section_id].append(article_id)
    return newest


@cache
def _part_sql(n: int, vendor: str) -> str:
    """One section's part, compiled by the ORM once: its only parameter is the section."""
    probe = Section(pk=-1)
    part = section_rows(probe).values_list("section_id", "published", "article_id")[:n]
    sql, params = part.query.sql_with_params()
    if list(params) != [probe.pk]:
        raise AssertionError(f"unexpected parameters in the section query: {params}")
    return str(sql)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    sections = list(Section.objects.order_by("position", "name")[:MAX_SECTIONS])
    newest = newest_per_section(sections, ITEMS_PER_SECTION)
    articles = {a.pk: a for a in load_articles([i for ids in newest.values() for i in ids])}
    blocks = []
    for section in sections:
        items = [articles[i] for i in newest[section.pk] if i in articles]
        if items:
            blocks.append({"section": section, "items": items})
    return render(request, "portal/home.html", {"blocks": blocks})
