"""The portal app: templates, static files, template tags and the admin's audit trail."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pressroom.web"
    label = "web"
    verbose_name = "Portal"
