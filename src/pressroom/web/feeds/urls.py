"""Feed URLs, mounted under the interface language: ``/<lang>/feeds/<atom|rss>/...``.

The names (namespace ``feeds``) are what other pages link to: ``home``, ``section``,
``publisher``, ``language``, ``search``; each takes ``fmt`` ("atom" or "rss").
"""

from __future__ import annotations

from django.urls import path, register_converter

from pressroom.web.feeds import views
from pressroom.web.feeds.generators import FORMATS


class FormatConverter:
    """``atom`` or ``rss``: any other format is simply not a URL (404)."""

    regex = "|".join(FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "feedformat")

app_name = "feeds"

urlpatterns = [
    path("<feedformat:fmt>/", views.home, name="home"),
    path("<feedformat:fmt>/section/<str:slug>/", views.section, name="section"),
    path("<feedformat:fmt>/publisher/<str:slug>/", views.publisher, name="publisher"),
    path("<feedformat:fmt>/language/<str:code>/", views.language, name="language"),
    path("<feedformat:fmt>/search/", views.search, name="search"),
]
