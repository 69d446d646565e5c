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

from .models import Claim, has_figure

__all__ = ["MONTHS", "References", "ShownChange", "figure_range", "figure_text", "news_date",
           "news_time", "occurred_text", "reader_changes", "reader_diff", "reference_name",
           "text_direction", "value_text"]

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


def _week_text(start: dt.datetime) -> str:
    # ACLED codes a week-precise event on the week's first day (Monday in its files).
    monday = start.date() - dt.timedelta(days=start.weekday())
    sunday = monday + dt.timedelta(days=6)
    if monday.month == sunday.month:
        return f"week of {monday.day}–{news_date(sunday)}"
    if monday.year == sunday.year:
        return f"week of {monday.day} {MONTHS[monday.month - 1]}–{news_date(sunday)}"
    return f"week of {news_date(monday)}–{news_date(sunday)}"


def month_text(value: dt.date | dt.datetime) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def occurred_text(development) -> str:
    """When a development happened, no more precisely than it is known.

    Works on developments and on their history rows (digests build from those).
    Week and month (ACLED's time precision 2 and 3) never show a day.
    """
    start = _utc(development.occurred_at)
    precision = development.occurred_precision
    if precision == "week":
        return _week_text(start)
    if precision == "month":
        return month_text(start)
    text = news_date(start)
    if precision in ("hour", "minute"):
        text = f"{text}, {start:%H:%M} UTC"
    if development.ended_at:
        end = _utc(development.ended_at)
        if precision == "day":
            if (end.year, end.month) == (start.year, start.month) and end.day != start.day:
                text = f"{start.day}–{news_date(end)}"
            elif end.date() != start.date():
                text = f"{text} to {news_date(end)}"
        else:
            text = f"{text} to {news_time(end) if end.date() != start.date() else f'{end:%H:%M} UTC'}"
    return text


def occurred_iso(moment: dt.datetime | None, precision: str) -> str:
    """A moment as ISO 8601 cut to what is known: '2023-09', '2023-09-19', '2023-09-19T14:05Z'.

    ISO 8601 has no 'some day of this week' short of week dates, so a week reads
    as its ISO week ('2023-W38'). What pages (`<time datetime>`), feeds and the
    API (`occurred`) give machines.
    """
    if moment is None:
        return ""
    moment = _utc(moment)
    day = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"  # %Y does not pad year 304
    if precision == "month":
        return day[:7]
    if precision == "week":
        year, week, _ = moment.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if precision == "hour":
        return f"{day}T{moment:%H}:00Z"
    if precision == "minute":
        return f"{day}T{moment:%H:%M}Z"
    return day


def occurred_parts(moment: dt.datetime, precision: str) -> dict[str, int]:
    """The parts of a moment that are known, e.g. for TimelineJS: a month-precise event has no day."""
    moment = _utc(moment)
    parts = {"year": moment.year, "month": moment.month}
    if precision != "month":
        parts["day"] = (moment - dt.timedelta(days=moment.weekday())).day if precision == "week" \
            else moment.day
    if precision in ("hour", "minute"):
        parts["hour"] = moment.hour
    if precision == "minute":
        parts["minute"] = moment.minute
    return parts


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


# --- figures and quotes --------------------------------------------------------

def figure_range(claim) -> tuple[int | None, int | None]:
    """The span a figure claims, (low, high) with None for an open end; (None, None) for none."""
    low = claim.figure_low if claim.figure_low is not None else claim.figure_best
    high = claim.figure_high if claim.figure_high is not None else claim.figure_best
    if claim.figure_qualifier == Claim.Qualifier.AT_LEAST:
        high = claim.figure_high
    if claim.figure_qualifier == Claim.Qualifier.AT_MOST:
        low = claim.figure_low
    return low, high


def _numbers(claim) -> str:
    low, best, high = claim.figure_low, claim.figure_best, claim.figure_high
    q = claim.figure_qualifier
    if q == Claim.Qualifier.AT_LEAST:
        return f"at least {low:,}" + (f" (best estimate {best:,})" if best not in (None, low) else "")
    if q == Claim.Qualifier.AT_MOST:
        return f"at most {high:,}" + (f" (best estimate {best:,})" if best not in (None, high) else "")
    words = "about " if q == Claim.Qualifier.APPROXIMATELY else ""
    if best is not None and low is not None and high is not None and low != high:
        return f"{words}{best:,} ({low:,}–{high:,})"
    if best is not None:
        return f"{words}{best:,}"
    return f"{words}{low:,}–{high:,}"


def figure_text(claim) -> str:
    """'at least 200 deaths', 'about 120 (100–150) deaths of civilians', 'deaths: not given'.

    Works on claims and their history rows; the qualifier is the one reported.
    """
    if not has_figure(claim):
        return ""
    unit = claim.figure_unit + (f" of {claim.figure_group}" if claim.figure_group else "")
    if claim.figure_qualifier == Claim.Qualifier.UNSPECIFIED or all(
            value is None for value in (claim.figure_low, claim.figure_best, claim.figure_high)):
        return f"{unit}: not given"
    return f"{_numbers(claim)} {unit}"


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
