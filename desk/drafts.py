"""The desk's drafts: a list by state, and a page per draft to review, approve, send back or publish.

Every button is a POST form (with its CSRF token) to one step view that calls
one service of drafts.services and comes back to the draft's page; the server
refuses what the role or the state forbids, whatever the page showed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from drafts import services
from drafts.models import Draft
from drafts.proposal import item_model
from drafts.selectors import draft_diff, draft_item, is_stale
from reader.text import reader_changes
from record.errors import StaleVersionError, TrackerError

from .base import conflict_report
from .lists import LIST_TEMPLATE, house_date
from .preview import can_preview, draft_preview
from .published import published_as


class _StepForm(forms.Form):
    """A step's form: its fields' element ids carry the step, as several forms share one page."""

    step = ""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"id_{self.step}_%s")
        super().__init__(*args, **kwargs)


class SendBackForm(_StepForm):
    step = "send_back"
    comment = forms.CharField(
        label="What needs to change?", widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Required. Seen by the draft's author (emailed to them) and by editors on this "
                  "page; never by readers.")


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label="Publish at (UTC)", widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date", "aria-label": "Publish on (date, UTC)"},
            time_attrs={"type": "time", "step": 1, "aria-label": "Publish at (time, UTC)"}))


class ApproveForm(_StepForm):
    step = "approve"
    comment = forms.CharField(required=False, label="Note (optional)",
                              help_text="Seen by the draft's author (emailed to them) and by editors "
                                        "on this page; never by readers.",
                              widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


STEPS = ("submit", "approve", "send_back", "publish", "schedule", "unschedule", "rebase", "discard")


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """Drafts by state; a draft's page is its review."""

    list_display = ("id", "proposal", "item_type", "kind", "state", "author", "reviewer",
                    "publishes", "updated")
    change_list_template = LIST_TEMPLATE
    list_display_links = ("id", "proposal")
    list_filter = ("state", "kind", "item_type", "story", "author", "reviewer")
    list_select_related = ("author", "reviewer", "story")
    search_fields = ("message", "author__username")
    date_hierarchy = "updated_at"

    @admin.display(description="proposal")
    def proposal(self, draft: Draft) -> str:
        return str(draft).split(": ", 1)[-1]

    @admin.display(description="publishes", ordering="publish_at")
    def publishes(self, draft: Draft) -> str:
        return house_date(draft.publish_at) if draft.publish_at else ""

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, draft: Draft) -> str:
        return house_date(draft.updated_at)

    def has_add_permission(self, request) -> bool:
        return False  # a draft is saved from the item's own form ("Save draft")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # discarded, never deleted

    def get_urls(self):
        step = self.admin_site.admin_view(self.step_view)
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:draft_id>/step/<str:step>/", step, name="drafts_draft_step"),
                path("<int:draft_id>/preview/", preview, name="drafts_draft_preview"),
                *super().get_urls()]

    def preview_view(self, request, draft_id: int):
        """The proposed item in the public page's layout, bannered; a GET that writes nothing."""
        draft = self._draft(request, draft_id)
        if not can_preview(draft):
            raise Http404("Only a development or a claim has a page to preview.")
        return draft_preview(request, draft, self.admin_site.each_context(request))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        draft = self._draft(request, object_id)
        return self._review(request, draft)

    def _draft(self, request, object_id) -> Draft:
        try:
            draft = Draft.objects.select_related("author", "reviewer", "story", "revision").get(
                pk=int(object_id))
        except (Draft.DoesNotExist, ValueError, OverflowError):
            raise Http404(f"No draft {object_id}.") from None
        if not self.has_view_or_change_permission(request, draft):
            raise PermissionDenied
        return draft

    def _review(self, request, draft: Draft, status: int = 200, **forms_):
        item = draft_item(draft)
        conflict = None
        if is_stale(draft, item):
            conflict = conflict_report(StaleVersionError(instance=item, base_version=draft.base_version))
        user, model = request.user, item_model(draft.item_type)
        approval_holds = services.approval_holds(draft)
        can_change = self.has_change_permission(request, draft)
        return TemplateResponse(request, "admin/desk/draft_review.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": draft, "draft": draft, "item": item,
            "title": f"Draft {draft.pk}: {draft.get_kind_display().lower()} of "
                     f"{model._meta.verbose_name}",
            "item_verbose_name": model._meta.verbose_name,
            "item_url": reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                                args=[item.pk]) if item else None,
            "changes": reader_changes(*draft_diff(draft, item)), "conflict": conflict,
            "events": draft.events.select_related("actor"),
            "is_open": draft.state in Draft.OPEN_STATES,
            "approval_holds": approval_holds,
            "can_change": can_change,
            # The server refuses anyway (drafts.services); the buttons are not even shown.
            "can_review": services.is_reviewer(user) and draft.author_id != user.pk,
            "can_publish": can_change and not conflict and draft.state != Draft.State.BLOCKED
            and (not draft.needs_review or approval_holds),
            "published": published_as(draft, item),
            "can_preview": not draft.revision_id and can_preview(draft),
            "send_back_form": forms_.get("send_back_form") or SendBackForm(),
            "schedule_form": forms_.get("schedule_form") or ScheduleForm(),
            "approve_form": ApproveForm(),
        }, status=status)

    def step_view(self, request, draft_id: int, step: str):
        draft = self._draft(request, draft_id)
        if step not in STEPS:
            raise Http404(f"No step {step!r}.")
        if not self.has_change_permission(request, draft):
            raise PermissionDenied
        if request.method != "POST":  # a step changes the draft: never on a GET
            return HttpResponseNotAllowed(["POST"])
        try:
            done = self._take(request, draft, step)
        except _FormInvalid as invalid:
            return self._review(request, draft, status=400, **invalid.forms)
        except (TrackerError, ValidationError) as refused:
            text = "; ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
            self.message_user(request, f"Nothing was changed: {text}", messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:drafts_draft_change", args=[draft.pk]))

    def _take(self, request, draft: Draft, step: str) -> str:
        user = request.user
        if step == "submit":
            services.draft_submit(draft=draft, user=user)
            return "Submitted for review."
        if step == "approve":
            form = ApproveForm(request.POST)
            form.is_valid()
            services.draft_approve(draft=draft, reviewer=user, comment=form.cleaned_data.get("comment", ""))
            return "Approved: it can be published now."
        if step == "send_back":
            form = SendBackForm(request.POST)
            if not form.is_valid():
                raise _FormInvalid(send_back_form=form)
            services.draft_send_back(draft=draft, reviewer=user, comment=form.cleaned_data["comment"])
            return "Sent back to its author."
        if step == "publish":
            _, revision = services.draft_publish(draft=draft, publisher=user)
            return f"Published as revision {revision.id}."
        if step == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise _FormInvalid(schedule_form=form)
            scheduled = services.draft_schedule(draft=draft, user=user,
                                                publish_at=form.cleaned_data["publish_at"])
            return f"Scheduled for {scheduled.publish_at:%Y-%m-%d %H:%M} UTC."
        if step == "unschedule":
            services.draft_schedule(draft=draft, user=user, publish_at=None)
            return "No longer scheduled."
        if step == "rebase":
            services.draft_update(draft=draft, user=user, rebase=True)
            return "Rebased on the current version: check the diff again."
        services.draft_discard(draft=draft, user=user)
        return "Discarded: nothing was published."


class _FormInvalid(Exception):
    def __init__(self, **forms_) -> None:
        super().__init__("invalid form")
        self.forms = forms_
