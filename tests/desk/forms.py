"""What a browser would post back from a desk (admin) add or change page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone


def _add_form(data: dict, form) -> None:
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(bound.field, forms.SplitDateTimeField):
            if isinstance(value, dt.datetime):
                value = timezone.localtime(value)
                data[f"{bound.html_name}_0"] = value.date().isoformat()
                data[f"{bound.html_name}_1"] = value.time().isoformat()
            else:
                data[f"{bound.html_name}_0"], data[f"{bound.html_name}_1"] = value
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif hasattr(value, "pk"):
            data[bound.html_name] = str(value.pk)
        else:
            data[bound.html_name] = str(value)


def form_data(response, **changes) -> dict:
    """What the browser would post back from an admin add/change page, plus `changes`."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
