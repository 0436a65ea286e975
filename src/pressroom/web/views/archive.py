"""The archive by date: months with their counts, the days of a month, one day's articles."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pressroom.store.models import Article
from pressroom.web.cache import public_page
from pressroom.web.views.common import article_page


def _date(year: int, month: int, day: int = 1) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise Http404("no such date") from exc


@public_page
def archive_index(request: HttpRequest) -> HttpResponse:
    # Counted per day (a walk of the list index), summed per month here: grouping by a
    # truncated date would call a Python function per row on SQLite.
    days = (
        Article.objects.visible()
        .order_by()
        .values_list("published")
        .annotate(count=Count("id"))
        .values_list("published", "count")
    )
    months: dict[dt.date, int] = {}
    for day, count in days:
        month = day.replace(day=1)
        months[month] = months.get(month, 0) + count
    years: dict[int, list[dict[str, object]]] = {}
    for month in sorted(months, reverse=True):
        years.setdefault(month.year, []).append({"month": month, "count": months[month]})
    context = {"years": sorted(years.items(), reverse=True), "nav": "archive"}
    return render(request, "portal/archive_index.html", context)


@public_page
def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    first = _date(year, month)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    days = list(
        Article.objects.visible()
        .filter(published__gte=first, published__lt=following)
        .values("published")
        .annotate(count=Count("id"))
        .order_by("-published")
    )
    if not days:
        raise Http404("nothing published that month")
    return render(
        request, "portal/archive_month.html", {"month": first, "days": days, "nav": "archive"}
    )


@public_page
def archive_day(request: HttpRequest, year: int, month: int, day: int) -> HttpResponse:
    date = _date(year, month, day)
    page, context = article_page(request, Article.objects.visible().filter(published=date))
    if not page.count:
        raise Http404("nothing published that day")
    visible = Article.objects.visible()
    earlier = (
        visible.filter(published__lt=date)
        .order_by("-published")
        .values_list("published", flat=True)
        .first()
    )
    later = (
        visible.filter(published__gt=date)
        .order_by("published")
        .values_list("published", flat=True)
        .first()
    )
    return render(
        request,
        "portal/archive_day.html",
        {"date": date, "earlier": earlier, "later": later, "nav": "archive", **context},
    )
