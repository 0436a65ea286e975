"""The discovery files, mounted at the site's root (not under a language prefix)."""

from __future__ import annotations

from django.urls import path, re_path

from pressroom.web.views import discovery

app_name = "discovery"

urlpatterns = [
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap_index"),
    re_path(
        r"^sitemap-(?P<name>[a-z]+)-(?P<page>[0-9]{1,12})\.xml$",
        discovery.sitemap,
        name="sitemap",
    ),
]
