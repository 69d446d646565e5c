"""The desk for claims: every save one revision through the services."""

from __future__ import annotations

from django.contrib import admin

from claims.models import Claim
from desk.archive import flag_text, with_source_flags
from desk.base import VersionedAdmin
from desk.dates import house_date_overrides
from desk.entry import FigureDefaults
from desk.forms import VersionedForm
from desk.lists import LIST_TEMPLATE, house_date, short


class ClaimForm(FigureDefaults, VersionedForm):
    pass


@admin.register(Claim)
class ClaimAdmin(VersionedAdmin):
    form = ClaimForm
    list_display = ("short_paraphrase", "actor", "development_title", "claim_type", "figure",
                    "verification", "source_flag", "made")
    list_filter = ("development__story", "claim_type", "verification", "retracted", "made_on")
    list_select_related = ("actor", "development")
    change_list_template = LIST_TEMPLATE
    formfield_overrides = house_date_overrides()
    search_fields = ("paraphrase", "quote", "actor__name", "development__title")
    date_hierarchy = "made_on"
    autocomplete_fields = ("development", "actor", "responds_to", "sources")
    fieldsets = [
        (None, {"fields": ("development", "actor", "made_on", "claim_type", "paraphrase", "quote",
                           "version")}),
        ("Original words", {"fields": (("quote_original", "quote_language"), "quote_translator"),
                            "classes": ("collapse",)}),
        ("Figure", {"fields": (("figure_unit", "figure_group"), "figure_qualifier",
                               ("figure_low", "figure_best", "figure_high"), "figure_note")}),
        ("Verification", {"fields": ("verification", "verification_note")}),
        ("Response to another claim", {"fields": (("responds_to", "response_relation"),)}),
        ("Reported by", {"fields": ("sources", "source_flag")}),
        ("Retraction", {"fields": ("retracted", "retraction_reason"), "classes": ("collapse",)}),
    ]
    readonly_fields = ("version", "retracted", "retraction_reason", "source_flag")

    def get_queryset(self, request):
        return with_source_flags(super().get_queryset(request))

    @admin.display(description="sources")
    def source_flag(self, claim: Claim) -> str:
        # On the change form the row comes from get_object (annotated too).
        return flag_text(claim)

    def get_readonly_fields(self, request, obj=None):
        # A claim never moves to another development.
        return (*self.readonly_fields, "development") if obj else self.readonly_fields

    def is_retracted(self, obj) -> bool:
        return obj.retracted

    @admin.display(description="claim", ordering="paraphrase")
    def short_paraphrase(self, claim: Claim) -> str:
        # A retracted claim says so in its own cell (and the filter finds them all): one column fewer.
        return f"Retracted: {short(claim.paraphrase, 22)}" if claim.retracted else short(claim.paraphrase, 24)

    @admin.display(description="development", ordering="development__title")
    def development_title(self, claim: Claim) -> str:
        return short(claim.development.title, 8)

    @admin.display(description="made on", ordering="made_on")
    def made(self, claim: Claim) -> str:
        return house_date(claim.made_on)

    @admin.display(description="figure")
    def figure(self, claim: Claim) -> str:
        return claim.figure_display()
