"""The desk for stories, developments (with their claims), actors and sources."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from claims.models import Claim
from events.models import Actor, Briefing, Development, Source, Story
from reader.dates import occurred_text

from .archive import archive_summary, capture_table, flag_text, with_source_flags
from .base import VersionedAdmin
from .dates import house_date_overrides
from .entry import FigureDefaults, story_to_preselect
from .forms import ReviewClaimForm
from .lists import LIST_TEMPLATE, house_date, short

admin.site.site_header = "Tracker desk"
admin.site.site_title = "Tracker desk"
admin.site.index_title = "The desk"
# The front page: what waits for the editor, what just happened, what needs attention (desk.front).
admin.site.index_template = "admin/desk/index.html"
# The front page lists every part of the desk; a list uses the whole width for its columns.
admin.site.enable_nav_sidebar = False


@admin.register(Story)
class StoryAdmin(VersionedAdmin):
    list_display = ("title", "slug", "status", "version")
    list_filter = ("status",)
    change_list_template = LIST_TEMPLATE
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = [(None, {"fields": ("slug", "title", "summary", "status", "version")})]


class ClaimReviewInline(admin.StackedInline):
    """The development's claims: verification is reviewed here, the rest on the claim's page."""

    model = Claim
    form = ReviewClaimForm
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "claim"
    verbose_name_plural = "claims (review verification here; edit a claim on its own page)"
    # Read-only facts share lines: a development with many claims stays a page an editor can scroll.
    fields = (("actor", "claim_type", "retracted"), "paraphrase", "quote", ("figure", "source_flag"),
              ("verification", "verification_note"), "base_version")
    readonly_fields = ("actor", "claim_type", "paraphrase", "quote", "figure", "source_flag", "retracted")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return with_source_flags(super().get_queryset(request).select_related("actor"))

    @admin.display(description="sources")
    def source_flag(self, claim: Claim) -> str:
        return flag_text(claim) or "—"

    @admin.display(description="figure")
    def figure(self, claim: Claim) -> str:
        return claim.figure_display() or "—"


class NewClaimForm(FigureDefaults, forms.ModelForm):
    pass


class NewClaimInline(admin.StackedInline):
    """New claims about the development, saved in the same revision as the development."""

    model = Claim
    form = NewClaimForm
    extra = 1
    can_delete = False
    verbose_name = "new claim"
    verbose_name_plural = "new claims"
    formfield_overrides = house_date_overrides()
    fields = ("actor", "made_on", "claim_type", "paraphrase", "quote",
              ("quote_original", "quote_language", "quote_translator"),
              ("figure_unit", "figure_group", "figure_qualifier"),
              ("figure_low", "figure_best", "figure_high"), "figure_note",
              "verification", "verification_note", ("responds_to", "response_relation"), "sources")
    autocomplete_fields = ("actor", "responds_to", "sources")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


@admin.register(Development)
class DevelopmentAdmin(VersionedAdmin):
    list_display = ("title", "story", "kind", "occurred", "status", "key_event", "version")
    list_filter = ("story", "kind", "status", "key_event", "occurred_precision", "occurred_at")
    list_select_related = ("story",)
    change_list_template = LIST_TEMPLATE
    search_fields = ("title", "summary", "location")
    date_hierarchy = "occurred_at"
    autocomplete_fields = ("actors", "sources")
    inlines = [ClaimReviewInline, NewClaimInline]
    formfield_overrides = {**house_date_overrides(),
                           models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 80})}}
    # The short form first: what an editor on deadline fills in; the rest is folded below it.
    fieldsets = [
        (None, {"fields": ("story", "title", "summary", "kind", ("occurred_at", "occurred_precision"),
                           "location", "key_event", "version")}),
        ("More: status, end, coordinates, who and sources", {
            "fields": ("status", "ended_at", ("latitude", "longitude", "geo_precision"),
                       ("admin1", "country"), "actors", "sources"),
            "classes": ("collapse",)}),
        ("Retraction", {"fields": ("retraction_reason",), "classes": ("collapse",)}),
    ]
    readonly_fields = ("version", "retraction_reason")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "story" not in initial:
            story = story_to_preselect(request.user)
            if story is not None:
                initial["story"] = story.pk
        return initial

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST and response.status_code == 302 and obj.pk:
            # "Save and add another": the next development is on the same story.
            response["Location"] = f"{request.path}?story={obj.story_id}"
        return response

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None:  # on an edit the new claims are folded: the development's fields come first
            for inline in inlines:
                if isinstance(inline, NewClaimInline):
                    inline.classes = ("collapse",)
        return inlines

    def get_readonly_fields(self, request, obj=None):
        # A development never moves to another story.
        return (*self.readonly_fields, "story") if obj else self.readonly_fields

    def is_retracted(self, obj) -> bool:
        return obj.is_retracted

    @admin.display(description="occurred", ordering="occurred_at")
    def occurred(self, development: Development) -> str:
        """As precise as the editor said, and in the words the pages use."""
        return occurred_text(development)


@admin.register(Actor)
class ActorAdmin(VersionedAdmin):
    list_display = ("name", "kind", "role", "affiliation", "version")
    list_filter = ("kind",)
    list_select_related = ("affiliation",)
    change_list_template = LIST_TEMPLATE
    search_fields = ("name", "role")
    autocomplete_fields = ("affiliation",)
    fieldsets = [(None, {"fields": ("name", "kind", "role", "affiliation", "version")})]


@admin.register(Source)
class SourceAdmin(VersionedAdmin):
    list_display = ("outlet", "title", "published", "archive", "version")
    change_list_template = LIST_TEMPLATE
    list_filter = ("published_on", "archive_status", "outlet")
    search_fields = ("outlet", "title", "url")
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ("outlet", "title", "url", "published_on", "version")}),
        # Written by the archive only (capture revisions): shown, never edited here.
        ("Archived copy", {"fields": ("archive", "capture_history")}),
    ]
    readonly_fields = ("version", "archive", "capture_history")

    @admin.display(description="published", ordering="published_on")
    def published(self, source: Source) -> str:
        return house_date(source.published_on)

    @admin.display(description="archived copy", ordering="archived_at")
    def archive(self, source: Source) -> str:
        return archive_summary(source)

    @admin.display(description="captures")
    def capture_history(self, source: Source) -> str:
        return capture_table(source)
    # A source URL typed without a scheme is read as https (Django 6's default).
    formfield_overrides = {**house_date_overrides(), models.URLField: {"assume_scheme": "https"}}


@admin.register(Briefing)
class BriefingAdmin(VersionedAdmin):
    """Each story's pinned "What we know": edited, drafted and reviewed like any item."""

    list_display = ("story", "short_text", "version")
    list_select_related = ("story",)
    change_list_template = LIST_TEMPLATE
    search_fields = ("text", "story__title")
    autocomplete_fields = ("story",)
    fieldsets = [(None, {"fields": ("story", "text", "version")})]

    def get_readonly_fields(self, request, obj=None):
        # A story's summary never moves to another story.
        return (*self.readonly_fields, "story") if obj else self.readonly_fields

    @admin.display(description="what we know")
    def short_text(self, briefing: Briefing) -> str:
        return short(briefing.text, 24)
