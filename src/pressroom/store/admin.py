"""The editors' admin: sections, publishers, articles, and the audit trail of who changed what.

Editors may correct a title, hide or unhide an article, move it between sections,
rename sections and publishers. The body and provenance stay as read (read-only
here): corrections to a text come from the publisher, as a new version. Every
change is recorded in Django's ``LogEntry`` with the fields changed *and* their old
and new values, and is announced with ``store.signals.articles_changed`` (the portal's
cached pages go stale). A corrected title is indexed for search again at once and
moves ``updated_at`` (feeds, sitemaps and ``dateModified`` read it).

The login form with its failure throttle is the portal's concern: ``web.apps`` sets it.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from pressroom.store import search
from pressroom.store.models import Article, Publisher, Section
from pressroom.store.signals import articles_changed

admin.site.site_header = _("Pressroom editors")
admin.site.site_title = _("Pressroom editors")
admin.site.index_title = _("Articles, sections and publishers")


def content_changed() -> None:
    """What readers may see has changed (receivers act when the transaction commits)."""
    articles_changed.send(sender=admin.ModelAdmin)


def _plain(value: Any) -> Any:
    """A value as it can be kept in the audit trail (JSON)."""
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class AuditedAdmin(admin.ModelAdmin):
    """Records old and new values of every changed field; edits make cached pages stale."""

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        message: list[dict[str, Any]] = super().construct_change_message(
            request, form, formsets, add
        )
        if not add and form.changed_data:
            values = {
                name: [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
                for name in form.changed_data
            }
            message.append({"values": values})
        return message

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        content_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        content_changed()

    def log_field_change(
        self, request: HttpRequest, obj: Any, field: str, old: Any, new: Any
    ) -> None:
        """Log a change made by an action, in the same form as a change made in a form."""
        verbose = str(obj._meta.get_field(field).verbose_name)
        self.log_change(
            request,
            obj,
            [{"changed": {"fields": [verbose]}}, {"values": {field: [_plain(old), _plain(new)]}}],
        )


@admin.register(Section)
class SectionAdmin(AuditedAdmin):
    list_display = ("name", "name_ru", "name_kk", "position", "slug")
    list_editable = ("name_ru", "name_kk", "position")
    search_fields = ("name", "name_ru", "name_kk", "slug")
    ordering = ("position", "name")


@admin.register(Publisher)
class PublisherAdmin(AuditedAdmin):
    list_display = ("slug", "name_en", "name_ru", "name_kk", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("slug", "name_en", "name_ru", "name_kk")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    readonly_fields = ("created_at",)


class MoveToSectionForm(forms.Form):
    section = forms.ModelChoiceField(queryset=Section.objects.all(), label=_("Section"))
    keep_others = forms.BooleanField(
        required=False,
        label=_("Keep the articles' other sections"),
        help_text=_("Unticked: the chosen section replaces all their sections."),
    )


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    list_display = (
        "title",
        "published",
        "lang",
        "publisher",
        "section_names",
        "hidden",
        "withdrawn",
    )
    list_display_links = ("title",)
    list_filter = ("hidden", "lang", "sections", ("withdrawn_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "source_key")
    date_hierarchy = "published"
    list_select_related = ("publisher",)
    list_per_page = 50
    show_full_result_count = False  # no second COUNT over a large table
    filter_horizontal = ("sections",)
    actions = ("hide", "unhide", "move_to_section")
    # Editors change the title, visibility and sections; everything else is what was read.
    readonly_fields = (
        "body_text",
        "lang",
        "published",
        "publisher",
        "source_link",
        "truncated",
        "withdrawn_at",
        "first_seen",
        "last_seen",
        "updated_at",
    )
    fields = ("title", "hidden", "sections", *readonly_fields)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).defer("signature").prefetch_related("sections")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        retitled = change and "title" in form.changed_data
        if retitled:
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        if retitled:
            search.index_articles([obj])  # the old title's words must stop finding it

    @admin.display(description=_("sections"))
    def section_names(self, obj: Article) -> str:
        return ", ".join(s.name for s in obj.sections.all())

    @admin.display(description=_("withdrawn"), boolean=True)
    def withdrawn(self, obj: Article) -> bool:
        return obj.withdrawn_at is not None

    @admin.display(description=_("text"))
    def body_text(self, obj: Article) -> str:
        return format_html_join("", "<p>{}</p>", ((p,) for p in obj.paragraphs))

    @admin.display(description=_("source"))
    def source_link(self, obj: Article) -> str:
        url = obj.source_url or ""
        if not url.startswith(("http://", "https://")):
            return "-"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, url)

    @admin.action(description=_("Hide the selected articles from the site"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._set_hidden(request, queryset, True)

    @admin.action(description=_("Show the selected articles on the site again"))
    def unhide(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._set_hidden(request, queryset, False)

    def _set_hidden(self, request: HttpRequest, queryset: QuerySet[Article], hidden: bool) -> None:
        changed = 0
        for article in (
            queryset.select_related(None).exclude(hidden=hidden).only("id", "title", "hidden")
        ):
            article.hidden = hidden
            article.save(update_fields=["hidden"])
            self.log_field_change(request, article, "hidden", not hidden, hidden)
            changed += 1
        content_changed()
        self.message_user(
            request,
            (_("%d articles hidden.") if hidden else _("%d articles shown again.")) % changed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Move the selected articles to a section…"))
    def move_to_section(
        self, request: HttpRequest, queryset: QuerySet[Article]
    ) -> HttpResponse | None:
        form = MoveToSectionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            section = form.cleaned_data["section"]
            keep = form.cleaned_data["keep_others"]
            for article in queryset.prefetch_related("sections"):
                before = [s.name for s in article.sections.all()]
                if keep:
                    article.sections.add(section)
                else:
                    article.sections.set([section])
                after = sorted({*before, section.name}) if keep else [section.name]
                if sorted(before) != after:
                    self.log_field_change(request, article, "sections", before, after)
            content_changed()
            self.message_user(
                request,
                _("Moved %(count)d articles to %(section)s.")
                % {"count": queryset.count(), "section": section.name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move articles to a section"),
            "opts": self.model._meta,
            "form": form,
            "articles": queryset,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/store/article/move_to_section.html", context)


@admin.register(LogEntry)
class AuditAdmin(admin.ModelAdmin):
    """Who changed what, when: read-only, newest first."""

    list_display = ("action_time", "user", "content_type", "object_link", "action_flag", "what")
    list_filter = ("action_flag", "content_type", "user")
    search_fields = ("object_repr", "change_message", "user__username")
    date_hierarchy = "action_time"
    list_select_related = ("user", "content_type")
    ordering = ("-action_time",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("object"))
    def object_link(self, entry: LogEntry) -> str:
        url = entry.get_admin_url() if entry.action_flag != 3 else ""
        if url:
            return format_html('<a href="{}">{}</a>', url, entry.object_repr)
        return entry.object_repr

    @admin.display(description=_("change"))
    def what(self, entry: LogEntry) -> str:
        summary = entry.get_change_message()
        values = _values(entry.change_message)
        if not values:
            return summary
        rows = format_html_join(
            "", "<li><b>{}</b>: {} → {}</li>", ((k, _show(o), _show(n)) for k, (o, n) in values)
        )
        return format_html("{}<ul>{}</ul>", summary, rows)


def _values(change_message: str) -> list[tuple[str, tuple[Any, Any]]]:
    try:
        parts = json.loads(change_message or "[]")
    except json.JSONDecodeError:
        return []
    found: list[tuple[str, tuple[Any, Any]]] = []
    for part in parts if isinstance(parts, list) else []:
        if isinstance(part, dict) and isinstance(part.get("values"), dict):
            found.extend((k, (v[0], v[1])) for k, v in part["values"].items() if len(v) == 2)
    return found


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value in (None, "") else str(value)
