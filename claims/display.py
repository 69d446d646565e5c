"""Reader text for stored values: choices by label, references by name, dates in house style.

The one formatter for every surface: the public pages, email and webhook
digests, and the desk's diffs and conflict panel all turn a stored value into
words here, so the same value reads the same everywhere ("21 Sept 2023",
"Military action", "Foreign ministry"). It lives in `claims`, the top domain
app, because only here can it name every item a value may point to (actors,
sources, stories, developments, claims). record.diff stays generic: it gives
raw before/after values; `reader_changes` turns them into text.

References are resolved in batches (`References`): one query per referenced
model for a whole list of changes, however many ids they name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from events.models import Actor
from record.diff import FieldChange, WordChange, diff_versions

from .models import figure_text

__all__ = ["MONTHS", "References", "ShownChange", "figure_text", "news_date", "news_time",
           "occurred_text", "reader_changes", "reader_diff", "reference_name", "value_text"]

# House style: "21 Sept 2023".
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


# --- dates -------------------------------------------------------------------

def _utc(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, dt.UTC) if timezone.is_aware(value) else value


def news_date(value: dt.date | dt.datetime | None) -> str:
    """A day in house style: '21 Sept 2023' (times are read in UTC)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _utc(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def news_time(value: dt.datetime | None) -> str:
    """A moment, to the minute: '20 Sept 2023, 14:05 UTC'."""
    if value is None:
        return ""
    value = _utc(value)
    return f"{news_date(value)}, {value:%H:%M} UTC"


def occurred_text(development) -> str:
    """When a development happened, no more precisely than it is known.

    Works on developments and on their history rows (digests build from those).
    """
    start = _utc(development.occurred_at)
    text = news_date(start)
    if development.occurred_precision in ("hour", "minute"):
        text = f"{text}, {start:%H:%M} UTC"
    if development.ended_at:
        end = _utc(development.ended_at)
        if development.occurred_precision == "day":
            if (end.year, end.month) == (start.year, start.month) and end.day != start.day:
                text = f"{start.day}–{news_date(end)}"
            elif end.date() != start.date():
                text = f"{text} to {news_date(end)}"
        else:
            text = f"{text} to {news_time(end) if end.date() != start.date() else f'{end:%H:%M} UTC'}"
    return text


# --- references --------------------------------------------------------------

def reference_name(item: models.Model) -> str:
    """How a referenced item is named to a reader: an actor by name, a source as
    'Outlet: title', a story or development by its title, a claim by its paraphrase."""
    if isinstance(item, Actor):
        return item.name
    return str(item)


def _model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related_model(model_field) -> type[models.Model] | None:
    if model_field is not None and model_field.is_relation and (
            model_field.many_to_one or model_field.many_to_many):
        return model_field.related_model
    return None


def _ids(value: Any) -> list:
    if value in (None, "", []):
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


class References:
    """Reader names of every item the given values point to, one query per referenced model.

    `wanted` is (model, field name, stored value) triples; values of fields that
    are not relations are ignored, so callers can pass every change they have.
    """

    def __init__(self, wanted: Iterable[tuple[type[models.Model], str, Any]] = ()) -> None:
        ids: dict[type[models.Model], set] = defaultdict(set)
        for model, name, value in wanted:
            related = _related_model(_model_field(model, name))
            if related is not None:
                ids[related].update(_ids(value))
        self._names: dict[type[models.Model], dict[Any, str]] = {
            related: {pk: reference_name(item)
                      for pk, item in related._default_manager.in_bulk(pks).items()}
            for related, pks in ids.items() if pks
        }

    @classmethod
    def for_changes(
        cls, model_changes: Iterable[tuple[type[models.Model], Iterable[FieldChange]]],
    ) -> References:
        return cls((model, change.field, value)
                   for model, changes in model_changes for change in changes
                   for value in (change.before, change.after))

    def name(self, related: type[models.Model], pk: Any) -> str:
        # An id that names nothing (never expected: nothing is deleted) still reads as an id.
        return self._names.get(related, {}).get(pk, f"#{pk}")


# --- values ------------------------------------------------------------------

def value_text(model: type[models.Model], name: str, value: Any,
               references: References | None = None) -> str:
    """A stored value of `model.name` as a reader should see it; '' for nothing.

    Without `references` a reference is looked up on its own (one query):
    pass a `References` built for the whole list when formatting many values.
    """
    if value in (None, "", []):
        return ""
    model_field = _model_field(model, name)
    related = _related_model(model_field)
    if related is not None:
        references = references if references is not None else References([(model, name, value)])
        return "; ".join(references.name(related, pk) for pk in _ids(value))
    if isinstance(value, str) and isinstance(model_field, models.DateField):
        # Values that went through JSON (digest content) carry dates as ISO text.
        kind = dt.datetime if isinstance(model_field, models.DateTimeField) else dt.date
        value = kind.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return news_time(value)
    if isinstance(value, dt.date):
        return news_date(value)
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"  # as figure_text writes figures: "1,200"
    return str(value)


@dataclass(frozen=True)
class ShownChange:
    """A field change with its before and after in reader text ('' for nothing)."""

    change: FieldChange
    before: str
    after: str

    @property
    def field(self) -> str:
        return self.change.field

    @property
    def label(self) -> str:
        return self.change.label

    @property
    def words(self) -> tuple[WordChange, ...] | None:
        return self.change.words


def reader_changes(model: type[models.Model], changes: list[FieldChange],
                   references: References | None = None) -> list[ShownChange]:
    """`changes` of one `model` item in reader text; references resolved in one batch."""
    if references is None:
        references = References.for_changes([(model, changes)])
    return [ShownChange(change, value_text(model, change.field, change.before, references),
                        value_text(model, change.field, change.after, references))
            for change in changes]


def reader_diff(older, newer) -> list[ShownChange]:
    """What changed from version row `older` (None for a creation) to `newer`, in reader text."""
    return reader_changes(newer.instance_type, diff_versions(older, newer))
