"""URL map: the admin for now; the portal mounts here (issue: Portal)."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
