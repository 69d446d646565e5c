"""The desk's view of the revision log: read-only, as the database itself enforces."""

from __future__ import annotations

from django.contrib import admin

from record.models import Revision

from .lists import LIST_TEMPLATE, house_date, short


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The revision log: read-only, as the database itself enforces."""

    list_display = ("id", "when", "author", "kind", "minor", "story", "short_message")
    ordering = ("-id",)  # newest first: what just happened is on top
    change_list_template = LIST_TEMPLATE
    list_filter = ("kind", "minor", "story_link__story", "created_at")
    list_select_related = ("author", "story_link__story")
    search_fields = ("message", "author__username")
    date_hierarchy = "created_at"

    @admin.display(description="when", ordering="created_at")
    def when(self, revision: Revision) -> str:
        return house_date(revision.created_at)

    @admin.display(description="what changed and why")
    def short_message(self, revision: Revision) -> str:
        return short(revision.message, 40)

    @admin.display(description="story", ordering="story_link__story__title")
    def story(self, revision: Revision):
        link = getattr(revision, "story_link", None)
        return link.story if link else None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
