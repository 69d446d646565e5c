"""The desk's admin base: each save is one service call (events.saving.item_save), one revision.

The model form and its inlines are validated by Django as usual; the admin
then collects what they say (the item's values, the inline rows added or
changed) and hands it to the service in one call. A refusal that only the
services can detect (a stale base version, a rule checked on save) writes
nothing and re-renders the form with the editor's input and the reason, e.g.
what another editor changed in the meantime.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from drafts.models import Draft
from drafts.review import edit_or_draft, retract_or_draft, review_holds
from drafts.services import draft_create
from events.editing import ItemServices
from events.saving import item_save
from reader.numbers import MAX_VERSION, OutOfRange, bounded_int
from reader.text import reader_diff
from record.errors import StaleVersionError, TrackerError
from record.models import Revision
from record.registry import item_services
from record.selectors import item_versions

from .forms import REVISION_FIELDS, ReasonForm, RestoreForm, VersionedForm, form_values, inline_rows

SAVE_DRAFT = "_save_draft"  # the name of the change form's "Save draft" button


class SaveRefused(Exception):
    """Raised inside the admin's atomic block so that nothing of the save remains."""

    def __init__(self, errors: dict[str | None, list[str]], conflict: dict | None = None) -> None:
        super().__init__(errors)
        self.errors = errors
        self.conflict = conflict


def refusal_errors(error: ValidationError, prefix: str = "") -> dict[str | None, list[str]]:
    if hasattr(error, "error_dict"):
        found = {}
        for field, messages_ in error.message_dict.items():
            field = "change_message" if field == "message" else field
            if prefix:
                found.setdefault(None, []).extend(f"{prefix}{field}: {m}" for m in messages_)
            else:
                found[None if field == "__all__" else field] = messages_
        return found
    return {None: [f"{prefix}{m}" for m in error.messages]}


def conflict_report(stale: StaleVersionError) -> dict[str, Any]:
    """What changed between the version the editor opened and the current one."""
    model = type(stale.instance)
    # Only the two ends are diffed (a fixed number of queries, however many versions).
    rows = list(item_versions(model, stale.instance.pk, with_sets=True).filter(
        version__gte=stale.base_version or 1))
    opened = rows[0] if rows and rows[0].version == stale.base_version else None
    return {
        "item": stale.instance,
        "verbose_name": model._meta.verbose_name,
        "opened": stale.base_version,
        "current": stale.current_version,
        "revisions": [row.revision for row in rows if opened is None or row.version > opened.version],
        "changes": reader_diff(opened, rows[-1]) if rows else [],
    }


def stale_refusal(stale: StaleVersionError) -> SaveRefused:
    return SaveRefused(
        {None: [f"This {stale.instance._meta.verbose_name} was changed by someone else "
                f"since you opened it. Nothing was saved; see what changed below."]},
        conflict=conflict_report(stale),
    )


class VersionedAdmin(admin.ModelAdmin):
    """Admin for a versioned item: history, diff, restore, retract; never delete."""

    form = VersionedForm
    change_form_template = "admin/desk/change_form.html"
    readonly_fields: tuple[str, ...] = ("version",)
    save_as = False

    @property
    def services(self) -> ItemServices:
        """The item's writes, registered by its domain: the ones the API calls too."""
        return item_services(self.model)

    @property
    def retract_service(self):
        return self.services.retract

    def is_retracted(self, obj) -> bool:
        return False

    # --- permissions: nothing is deleted through the product -----------------
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- the change form ----------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in REVISION_FIELDS]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        revision_fields = ["change_message"] if obj is None else list(REVISION_FIELDS)
        return [*fieldsets, ("What changed and why", {"fields": revision_fields})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refusal = getattr(request, "_desk_refusal", None)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SaveRefused as refused:
            # The atomic block of the first pass rolled everything back; render
            # the same POST again with the reason attached to the form.
            request._desk_refusal = refused.errors
            context = {**(extra_context or {}), "conflict": refused.conflict}
            return super().changeform_view(request, object_id, form_url, context)

    def save_model(self, request, obj, form, change) -> None:
        """Nothing here: save_related saves the item and its inlines in one service call."""

    def save_related(self, request, form, formsets, change) -> None:
        if SAVE_DRAFT in request.POST:
            return self.save_draft(request, form, formsets, change)
        data = form.cleaned_data
        if change and review_holds(data.get("change_kind", Revision.Kind.UPDATE)):
            return self.save_draft(request, form, formsets, change, for_review=True)
        try:
            saved = item_save(
                author=request.user, model=self.model, item=form.instance if change else None,
                base_version=data.get("base_version"), values=form_values(form, change),
                rows=[row for formset in formsets for row in inline_rows(formset)],
                message=data["change_message"], kind=data.get("change_kind", Revision.Kind.UPDATE),
                minor=bool(data.get("minor")))
        except StaleVersionError as stale:
            raise stale_refusal(stale) from stale
        except ValidationError as invalid:
            raise SaveRefused(refusal_errors(invalid)) from invalid
        form.instance.pk, form.instance.version = saved.pk, saved.version

    # --- drafts: "Save draft" keeps the change out of the record ---------------
    def save_draft(self, request, form, formsets, change: bool, *, for_review: bool = False) -> None:
        """Save the form's change as a draft (drafts.services): no revision, nothing public.

        `for_review`: a correction saved with the ordinary Save, held under the
        review rule (drafts.review) as a draft submitted for review.
        """
        if any(formset.has_changed() for formset in formsets):
            raise SaveRefused({None: [
                ("A correction waits for review as a draft, and a draft" if for_review else "A draft")
                + " holds this item's own fields only: save the claims below on their own "
                "pages (or as drafts there), or save without a draft."]})
        data = form.cleaned_data
        proposal = {"message": data["change_message"], "kind": data.get("change_kind", Revision.Kind.UPDATE),
                    "minor": bool(data.get("minor")),
                    "base_version": data.get("base_version") if change else None}
        try:
            if for_review:
                request._desk_draft = edit_or_draft(author=request.user, item=form.instance,
                                                    changes=form_values(form, change), **proposal)
            else:
                request._desk_draft = draft_create(
                    author=request.user, item_type=self.model._meta.label_lower,
                    item=form.instance if change else None, values=form_values(form, change), **proposal)
        except StaleVersionError as stale:
            raise stale_refusal(stale) from stale
        except ValidationError as invalid:
            raise SaveRefused(refusal_errors(invalid)) from invalid
        except TrackerError as refused:
            raise SaveRefused({None: [str(refused)]}) from refused

    def _draft_saved(self, request):
        return self._held(request, request._desk_draft)

    def _held(self, request, draft):
        """To the draft's page, saying what became of the change and what makes it public."""
        if draft.state == draft.State.SUBMITTED:
            text = (f"Your {draft.get_kind_display().lower()} was not published: it is draft {draft.pk}, "
                    f"submitted for review. Readers see it once a reviewer other than you approves "
                    f"it and it is published.")
        else:
            text = f"Saved as draft {draft.pk}: nothing is public until it is published."
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:drafts_draft_change", args=[draft.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_desk_draft", None):
            return self._draft_saved(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_desk_draft", None):
            return self._draft_saved(request)
        return super().response_change(request, obj)

    def log_addition(self, request, obj, message):
        if not getattr(request, "_desk_draft", None):  # a draft added nothing yet
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if not getattr(request, "_desk_draft", None):
            return super().log_change(request, obj, message)
        return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_save_draft"] = request.user.has_perm("drafts.add_draft")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def construct_change_message(self, request, form, formsets, add=False):
        return form.cleaned_data.get("change_message", "")

    # --- history, diff, restore, retract -------------------------------------
    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [
            path("<path:object_id>/history/diff/", self.admin_site.admin_view(self.diff_view),
                 name=f"{prefix}_diff"),
            path("<path:object_id>/history/<int:version>/restore/",
                 self.admin_site.admin_view(self.restore_view), name=f"{prefix}_restore"),
        ]
        if self.retract_service is not None:
            own.append(path("<path:object_id>/retract/", self.admin_site.admin_view(self.retract_view),
                            name=f"{prefix}_retract"))
        return own + super().get_urls()

    def _item(self, request, object_id, *, change: bool = False):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id {object_id}.")
        allowed = (self.has_change_permission(request, obj) if change
                   else self.has_view_or_change_permission(request, obj))
        if not allowed:
            raise PermissionDenied
        return obj

    def _render(self, request, template: str, obj, **context):
        return TemplateResponse(request, f"admin/desk/{template}", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": obj, "object": obj,
            "can_change": self.has_change_permission(request, obj),
            "can_retract": self.retract_service is not None and not self.is_retracted(obj),
            **context,
        })

    def history_view(self, request, object_id, extra_context=None):
        obj = self._item(request, object_id)
        # A published draft's drafter and reviewer ride along (joins, not a query a version).
        versions = list(item_versions(self.model, obj.pk).select_related(
            "revision__draft_link__drafted_by", "revision__draft_link__reviewed_by"))
        return self._render(request, "history.html", obj, title=f"History of “{obj}”",
                            versions=versions[::-1], **(extra_context or {}))

    def diff_view(self, request, object_id):
        obj = self._item(request, object_id)
        try:
            wanted = sorted({bounded_int(request.GET.get(name), name=name, minimum=1, maximum=MAX_VERSION)
                             for name in ("from", "to")})
        except OutOfRange as bad:
            return HttpResponseBadRequest(f"{bad} Give two version numbers: ?from=<version>&to=<version>.")
        rows = list(item_versions(self.model, obj.pk, with_sets=True).filter(version__in=wanted))
        if len(rows) != len(wanted):
            raise Http404("No such version.")
        older, newer = (rows[0], rows[-1]) if len(rows) == 2 else (None, rows[0])
        return self._render(request, "diff.html", obj, older=older, newer=newer,
                            changes=reader_diff(older, newer),
                            title=f"“{obj}”: version {wanted[0]} to {wanted[-1]}")

    def restore_view(self, request, object_id, version: int):
        obj = self._item(request, object_id, change=True)
        if version > MAX_VERSION:  # no item has it, and SQLite could not even bind it
            raise Http404("No such version.")
        rows = {row.version: row for row in item_versions(self.model, obj.pk, with_sets=True)
                .filter(version__in=[version, obj.version])}
        if version not in rows:
            raise Http404("No such version.")
        form = RestoreForm(request.POST or None, initial={"base_version": obj.version})
        conflict = None
        if request.method == "POST" and form.is_valid():
            try:
                self.services.restore(author=request.user, **{self.services.arg: obj}, version=version,
                                     base_version=form.cleaned_data["base_version"],
                                     message=form.cleaned_data["change_message"])
            except StaleVersionError as stale:
                conflict = conflict_report(stale)
                form.add_error(None, "Someone changed it since you opened this page: nothing was restored.")
            except ValidationError as invalid:
                for field, msgs in refusal_errors(invalid).items():
                    form.add_error(field, msgs)
            else:
                self.message_user(request, f"Version {version} restored as a new version.",
                                  messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]))
        return self._render(request, "restore.html", obj, form=form, version=version, conflict=conflict,
                            changes=reader_diff(rows[obj.version], rows[version]),
                            title=f"Restore version {version} of “{obj}”")

    def retract_view(self, request, object_id):
        obj = self._item(request, object_id, change=True)
        form = ReasonForm(request.POST or None, initial={"base_version": obj.version})
        conflict = None
        if self.is_retracted(obj):
            form = None
        elif request.method == "POST" and form.is_valid():
            try:
                outcome = retract_or_draft(author=request.user, item=obj,
                                           base_version=form.cleaned_data["base_version"],
                                           reason=form.cleaned_data["reason"])
            except StaleVersionError as stale:
                conflict = conflict_report(stale)
                form.add_error(None, "Someone changed it since you opened this page: nothing was retracted.")
            except ValidationError as invalid:
                for field, msgs in refusal_errors(invalid).items():
                    form.add_error("reason" if field == "change_message" else field, msgs)
            except TrackerError as refused:  # e.g. a draft that cannot be held (drafts.errors)
                form.add_error(None, str(refused))
            else:
                if isinstance(outcome, Draft):  # the review rule holds it (drafts.review)
                    return self._held(request, outcome)
                self.message_user(request, f"“{obj}” was retracted.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]))
        return self._render(request, "retract.html", obj, form=form, conflict=conflict,
                            title=f"Retract “{obj}”")
