"""How a field's value reads in a digest: names for ids, labels for choices, dates in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

_ACTOR_FIELDS = {"actor", "actors", "affiliation"}
_SOURCE_FIELDS = {"sources"}


def when_text(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        return moment.astimezone(dt.UTC).strftime("%-d %B %Y, %H:%M UTC")
    return moment.strftime("%-d %B %Y")


def display_value(model: type, field: str, value: Any, lookup: dict[str, dict[int, str]]) -> str:
    """A value as a reader should see it; '' for nothing."""
    if value in (None, "", []):
        return ""
    if field in _ACTOR_FIELDS or field in _SOURCE_FIELDS:
        names = lookup["actor" if field in _ACTOR_FIELDS else "source"]
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get(pk, f"#{pk}") for pk in ids)
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        model_field = None
    if isinstance(value, str) and isinstance(model_field, (models.DateTimeField, models.DateField)):
        value = (dt.datetime if isinstance(model_field, models.DateTimeField) else dt.date
                 ).fromisoformat(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return when_text(value)
    choices = dict(getattr(model_field, "flatchoices", None) or [])
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)

