"""URL map: the admin, and the portal under a language prefix (/en/, /ru/, /kk/).

"/" redirects to the reader's language. Feeds, the API and the discovery files
mount here beside the portal.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("pressroom.web.api.urls")),  # JSON, outside the language prefix
    path("", include("pressroom.web.discovery_urls")),  # robots.txt, sitemap.xml
    *i18n_patterns(
        path("", include("pressroom.web.urls")),
        path("feeds/", include("pressroom.web.feeds.urls")),
        prefix_default_language=True,
    ),
]

handler404 = "pressroom.web.views.errors.page_not_found"
handler500 = "pressroom.web.views.errors.server_error"
