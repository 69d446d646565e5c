"""Admin forms of the desk: every save says what changed, why, and which version it edits."""

from __future__ import annotations

from typing import Any

from django import forms

from events.saving import RowChange
from record.models import Revision
from record.versioning import tracked_fields

EDIT_KIND_CHOICES = [
    (kind.value, kind.label)
    for kind in Revision.EDIT_KINDS
]
REVISION_FIELDS = ("change_message", "change_kind", "minor", "base_version")


def message_field(label: str = "What changed and why") -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Required. Readers see it in the history and the change feed.",
    )


class VersionedForm(forms.ModelForm):
    """A model form plus the revision's message, kind, minor flag and the version it edits."""

    change_message = message_field()
    change_kind = forms.ChoiceField(
        label="Kind of change", choices=EDIT_KIND_CHOICES, initial=Revision.Kind.UPDATE,
        widget=forms.RadioSelect,
        help_text="A correction fixes an error and is flagged to readers.",
    )
    minor = forms.BooleanField(
        required=False, label="Minor edit",
        help_text="Typo or formatting only: left out of 'what changed' in digests and pages.",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    # Set by the admin when a save was refused after validation (a conflict, a
    # rule only the service checks): the form re-renders with the editor's input.
    refusal: dict | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in ("change_kind", "minor", "base_version"):
                self.fields.pop(name, None)
        else:
            self.fields["base_version"].initial = self.instance.version
        status = self.fields.get("status")
        if status is not None and getattr(self.instance, "status", None) != "retracted":
            # Retraction has its own page with a required reason.
            status.choices = [c for c in status.choices if c[0] != "retracted"]

    def clean(self):
        cleaned = super().clean()
        for field, messages in (self.refusal or {}).items():
            self.add_error(field if field in self.fields else None, messages)
        return cleaned


class ReviewClaimForm(forms.ModelForm):
    """An existing claim on its development's page: its verification, at a known version."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        widgets = {"verification_note": forms.Textarea(attrs={"rows": 2, "cols": 50})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version


class ReasonForm(forms.Form):
    """Retraction: a reason is required and becomes the revision's message."""

    reason = message_field("Why is it retracted?")
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RestoreForm(forms.Form):
    change_message = message_field("Why restore this version?")
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def model_changes(form, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The model fields the editor changed, as service `changes`."""
    names = {f.name for f in tracked_fields(form._meta.model)} - set(exclude)
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


def model_values(form, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every model field of a creation form, as service keyword arguments."""
    names = {f.name for f in tracked_fields(form._meta.model)} - set(exclude)
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def form_values(form, change: bool) -> dict[str, Any]:
    """What a change form says of its item: the fields changed (an edit) or all of them (a new item)."""
    if change:
        return model_changes(form, exclude=getattr(form._meta.model, "FIXED_FIELDS", ()))
    return model_values(form)


def inline_rows(formset) -> list[RowChange]:
    """An inline formset's rows the editor added or changed, saved with the item they belong to."""
    parent = formset.fk.name  # the item's keyword in the rows' services ("development")
    rows = []
    for row_form in formset.forms:
        if not row_form.has_changed():
            continue
        if row_form.instance.pk is None:
            rows.append(RowChange(formset.model, model_values(row_form, exclude=(parent,)), parent=parent))
        elif changes := model_changes(row_form, exclude=(parent,)):
            rows.append(RowChange(formset.model, changes, item=row_form.instance,
                                  base_version=row_form.cleaned_data["base_version"]))
    return rows
