"""Admin: sources with their health at a glance, fetch states and re-checks."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from pressroom.sources.models import FetchState, Recheck, Source, WorkerHeartbeat


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "url",
        "publisher",
        "enabled",
        "health",
        "consecutive_failures",
        "last_success_at",
        "next_poll_at",
        "interval",
        "items_stored",
    )
    list_filter = ("kind", "enabled", "consecutive_failures")
    search_fields = ("url", "name", "slug")
    readonly_fields = (
        "last_polled_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "consecutive_failures",
        "last_new_at",
        "items_stored",
        "lease_until",
        "created_at",
    )
    actions = ("disable", "enable", "poll_now")

    @admin.display(description="health")
    def health(self, source: Source) -> str:
        if not source.enabled:
            return "disabled"
        if source.last_polled_at is None:
            return "new"
        if source.healthy:
            return "ok"
        return f"failing: {source.last_error.splitlines()[0][:80] if source.last_error else '?'}"

    @admin.action(description="Disable polling")
    def disable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        queryset.update(enabled=False)

    @admin.action(description="Enable polling")
    def enable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        queryset.update(enabled=True)

    @admin.action(description="Poll at the next scheduler tick")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        from django.utils import timezone

        queryset.update(next_poll_at=timezone.now())


@admin.register(FetchState)
class FetchStateAdmin(admin.ModelAdmin):
    list_display = ("url", "last_status", "etag", "last_modified", "last_fetched_at", "bytes_total")
    search_fields = ("url",)
    list_filter = ("last_status",)


@admin.register(Recheck)
class RecheckAdmin(admin.ModelAdmin):
    list_display = ("article", "url", "method", "next_at", "checks", "last_status", "done")
    list_filter = ("method", "done", "last_status")
    search_fields = ("url",)
    raw_id_fields = ("article",)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "last_beat")
