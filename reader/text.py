"""Reader text for stored values: choices by label, references by name, places, figures.

The one formatter for every surface: the public pages, email and webhook
digests, and the desk's diffs and conflict panel all turn a stored value into
words here, so the same value reads the same everywhere ("21 Sept 2023",
"Military action", "Foreign ministry"). It sits in the reader layer, above
every domain, so it can name every item a value may point to (actors,
sources, stories, developments, claims) without a domain importing it.
record.diff stays generic: it gives raw before/after values; `reader_changes`
turns them into text. Dates are in `reader.dates`; a claim's figure in words
belongs to the claim (`claims.models.figure_text`) and is read from there.

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

from claims.models import figure_range, figure_text
from events.models import Actor
from record.diff import FieldChange, WordChange, diff_versions

from .dates import news_date, news_time

__all__ = ["References", "ShownChange", "country_name", "figure_range", "figure_text", "place_text",
           "reader_changes", "reader_diff", "reference_name", "text_direction", "value_text"]


# --- places ------------------------------------------------------------------

def country_name(code: str) -> str:
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


def place_text(development) -> str:
    """'Shusha, Shusha district, Azerbaijan (near 39.7583, 46.7484)': no more exact than known."""
    names = [n for n in (development.location, development.admin1, country_name(development.country))
             if n and n.strip()]
    text = ", ".join(dict.fromkeys(names))
    if development.latitude is not None and development.longitude is not None:
        how = {"near": "near ", "region": "somewhere in the region of "}.get(development.geo_precision, "")
        point = f"{how}{development.latitude:.4f}, {development.longitude:.4f}"
        text = f"{text} ({point})" if text else point
    return text


# --- quotes ------------------------------------------------------------------

# Scripts written right to left (ISO 15924), for a quote's `dir`.
_RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Yezi"}


def text_direction(language: str) -> str:
    """'rtl' or 'ltr' for a BCP 47 tag, from its (likely) script: 'fa' → rtl, 'hy' → ltr."""
    if not language:
        return "ltr"
    import langcodes

    try:
        script = langcodes.Language.get(language).maximize().script
    except (ValueError, LookupError):
        return "auto"
    return "rtl" if script in _RTL_SCRIPTS else "ltr"


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
