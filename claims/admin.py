"""The desk for actors, sources and claims: every save one revision through the services."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from events.admin.desk import VersionedAdmin, model_changes, model_values

from . import services
from .models import Actor, Claim, Source


class _ThroughServices(VersionedAdmin):
    """create/update services named `<model>_create` / `<model>_update`."""

    def write(self, request, form, change, kind):
        name = self.opts.model_name
        message = form.cleaned_data["change_message"]
        if not change:
            return getattr(services, f"{name}_create")(author=request.user, message=message,
                                                       **model_values(form))
        changes = model_changes(form)
        if not changes:
            return None
        return getattr(services, f"{name}_update")(
            author=request.user, message=message, changes=changes, kind=kind,
            base_version=form.cleaned_data["base_version"], **{name: form.instance})


@admin.register(Actor)
class ActorAdmin(_ThroughServices):
    list_display = ("name", "kind", "role", "affiliation", "version")
    list_filter = ("kind",)
    list_select_related = ("affiliation",)
    search_fields = ("name", "role")
    autocomplete_fields = ("affiliation",)
    fieldsets = [(None, {"fields": ("name", "kind", "role", "affiliation", "version")})]
    restore_service = staticmethod(services.actor_restore)
    service_arg = "actor"


@admin.register(Source)
class SourceAdmin(_ThroughServices):
    list_display = ("outlet", "title", "published_on", "version")
    list_filter = ("published_on", "outlet")
    search_fields = ("outlet", "title", "url")
    date_hierarchy = "published_on"
    fieldsets = [(None, {"fields": ("outlet", "title", "url", "published_on", "version")})]
    # A source URL typed without a scheme is read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    restore_service = staticmethod(services.source_restore)
    service_arg = "source"


@admin.register(Claim)
class ClaimAdmin(_ThroughServices):
    list_display = ("short_paraphrase", "actor", "development", "claim_type", "figure",
                    "verification", "retracted", "made_on")
    list_filter = ("development__story", "claim_type", "verification", "retracted", "made_on")
    list_select_related = ("actor", "development")
    search_fields = ("paraphrase", "quote", "actor__name", "development__title")
    date_hierarchy = "made_on"
    autocomplete_fields = ("development", "actor", "responds_to", "sources")
    fieldsets = [
        (None, {"fields": ("development", "actor", "made_on", "claim_type", "paraphrase", "quote",
                           "version")}),
        ("Figure", {"fields": (("figure_qualifier", "figure_value", "figure_unit"),)}),
        ("Verification", {"fields": ("verification", "verification_note")}),
        ("Response to another claim", {"fields": (("responds_to", "response_relation"),)}),
        ("Reported by", {"fields": ("sources",)}),
        ("Retraction", {"fields": ("retracted", "retraction_reason"), "classes": ("collapse",)}),
    ]
    readonly_fields = ("version", "retracted", "retraction_reason")
    restore_service = staticmethod(services.claim_restore)
    retract_service = staticmethod(services.claim_retract)
    service_arg = "claim"

    def get_readonly_fields(self, request, obj=None):
        # A claim never moves to another development.
        return (*self.readonly_fields, "development") if obj else self.readonly_fields

    def is_retracted(self, obj) -> bool:
        return obj.retracted

    def story_of(self, obj):
        return obj.development.story if obj.development_id else None

    def write(self, request, form, change, kind):
        if change:
            return super().write(request, form, change, kind)
        fields = model_values(form)
        return services.claim_create(author=request.user, message=form.cleaned_data["change_message"],
                                     **fields)

    @admin.display(description="claim", ordering="paraphrase")
    def short_paraphrase(self, claim: Claim) -> str:
        return claim.paraphrase[:90]

    @admin.display(description="figure")
    def figure(self, claim: Claim) -> str:
        return claim.figure_display()
