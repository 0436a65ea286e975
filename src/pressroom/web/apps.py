"""The portal app: templates, static files, template tags and the admin's audit trail."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pressroom.web"
    label = "web"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.contrib import admin

        from pressroom.store.signals import articles_changed
        from pressroom.web.throttle import ThrottledAdminAuthenticationForm

        # Whoever writes articles (ingest, crawl workers), cached pages go stale on commit.
        articles_changed.connect(_stale_pages, dispatch_uid="pressroom.web.stale_pages")
        # Editors log in through the portal's throttled form (a few wrong passwords lock).
        admin.site.login_form = ThrottledAdminAuthenticationForm


def _stale_pages(**_kwargs: object) -> None:
    from pressroom.web.cache import content_changed

    content_changed()
