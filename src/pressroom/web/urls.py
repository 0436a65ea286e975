"""The portal's pages; the project's ``urls.py`` mounts them under a language prefix.

Feeds, the API, search and the discovery files (sitemap, robots.txt) get their own
modules and mount points beside this one.
"""

from __future__ import annotations

from django.urls import path

from pressroom.web.views import archive, article, home, publishers, search, sections

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("news/", sections.all_news, name="all_news"),
    path("section/<str:slug>/", sections.section, name="section"),
    path("article/<int:pk>/", article.article, name="article"),
    path("publishers/", publishers.directory, name="publishers"),
    path("publishers/<str:slug>/", publishers.publisher, name="publisher"),
    path("archive/", archive.archive_index, name="archive"),
    path("archive/<int:year>/<int:month>/", archive.archive_month, name="archive_month"),
    path("archive/<int:year>/<int:month>/<int:day>/", archive.archive_day, name="archive_day"),
    path("search/", search.search_page, name="search"),
]
