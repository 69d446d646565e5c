"""ACLED's CSV layout: reading a file into checked rows (export.py writes them back).

Nothing here writes to the database. `parse_row` checks one row and names each
problem by row number (the file's line, the header being line 1) and column;
`interchange.reading` reads a file's rows through it one at a time, and the
import writes a batch only when nothing in it is wrong (or skips the rows that
are, when asked). Columns the tracker models are kept in
fields (dates, precision, place, notes, fatalities); the others (event and
sub-event type, actor and source names, the country's name, timestamp, and any
column ACLED adds) are kept as given in the development's `external_data`, so
an export reproduces them. A modelled value whose text is not the canonical one
("40.0000") is kept as given too, and used while the field still holds it.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass, field
from typing import Any

from events.models import Actor, Development, Source, within_the_calendar
from record.validators import CONTROL_CHARACTERS

# The layout's columns, in ACLED's order (LIBRARY-NOTES "ACLED's CSV layout").
COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
REQUIRED = [
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "actor2", "assoc_actor_2", "location", "admin1", "country", "iso",
    "latitude", "longitude", "geo_precision", "source", "notes", "fatalities", "timestamp",
]
# Not ACLED's: the bounds of a fatality range, where a monitor codes one (UCDP's low/high).
RANGE_COLUMNS = ["fatalities_low", "fatalities_high"]

CODER = "ACLED"  # the coding organisation: every imported figure is its claim
CODER_ROLE = "Armed Conflict Location & Event Data (coding organisation)"
FIGURE_NOTE = ("Coded estimate: ACLED records the most conservative fatality figure its sources "
               "report (e.g. 'dozens' as 12); it is not an independent count.")

PRECISIONS = {"1": Development.Precision.DAY, "2": Development.Precision.WEEK,
              "3": Development.Precision.MONTH}
PRECISION_CODES = {Development.Precision.DAY: "1", Development.Precision.HOUR: "1",
                   Development.Precision.MINUTE: "1", Development.Precision.WEEK: "2",
                   Development.Precision.MONTH: "3"}
GEO_PRECISIONS = {"1": Development.GeoPrecision.EXACT, "2": Development.GeoPrecision.NEAR,
                  "3": Development.GeoPrecision.REGION}
GEO_CODES = {value: code for code, value in GEO_PRECISIONS.items()}
EVENT_KINDS = {
    "Battles": Development.Kind.MILITARY_ACTION,
    "Explosions/Remote violence": Development.Kind.MILITARY_ACTION,
    "Violence against civilians": Development.Kind.MILITARY_ACTION,
    "Protests": Development.Kind.OTHER,
    "Riots": Development.Kind.OTHER,
    "Strategic developments": Development.Kind.OTHER,
}
SUB_EVENT_KINDS = {"Agreement": Development.Kind.NEGOTIATION,
                   "Non-violent transfer of territory": Development.Kind.OTHER,
                   "Looting/property destruction": Development.Kind.OTHER}
# ACLED's actor types (inter1/inter2: a code, or its name in newer files).
ACTOR_KINDS = {"1": Actor.Kind.MILITARY, "state forces": Actor.Kind.MILITARY,
               "2": Actor.Kind.ARMED_GROUP, "rebel group": Actor.Kind.ARMED_GROUP,
               "3": Actor.Kind.ARMED_GROUP, "political militia": Actor.Kind.ARMED_GROUP,
               "4": Actor.Kind.ARMED_GROUP, "identity militia": Actor.Kind.ARMED_GROUP}
MODELLED = {"event_id_cnty", "event_date", "time_precision", "location", "admin1", "iso", "latitude",
            "longitude", "geo_precision", "notes", "fatalities", *RANGE_COLUMNS}


class LayoutError(Exception):
    """The file as a whole cannot be read: not UTF-8, not CSV, required columns missing."""


@dataclass(frozen=True)
class Problem:
    line: int  # the file's line number (the header is line 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.line}, column {self.column}: {self.message}"


@dataclass
class Row:
    """One checked row: the development's fields, its actors and sources by name, its figure."""

    line: int
    external_id: str
    development: dict[str, Any]
    actors: list[tuple[str, str]]  # (name, actor kind), in the row's order
    outlets: list[str]
    figure: dict[str, Any]
    made_on: dt.date
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        raise LayoutError(f"{name} is not UTF-8 text (byte {data[bad.start]:#04x} at offset "
                          f"{bad.start}): save it as UTF-8 CSV.") from None
    if "\x00" in text:
        raise LayoutError(f"{name} is not a CSV file (it holds NUL bytes).")
    return text


def canonical_float(value: float | None) -> str:
    return "" if value is None else repr(value)


def parse_date(text: str) -> dt.date:
    """ACLED writes ISO dates ('2023-09-19'); older exports '19 September 2023'."""
    try:
        return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else parse_date_as_given(text)
    except ValueError:
        return parse_date_as_given(text)


def parse_date_as_given(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date (write it as YYYY-MM-DD)")


@functools.lru_cache(maxsize=512)
def country_code(iso: str, name: str) -> str:
    """The ISO 3166 alpha-2 code from ACLED's numeric `iso` (or, without it, the country's name)."""
    import pycountry

    if iso.strip():
        if not iso.strip().isdigit():
            raise ValueError(f"“{iso}” is not an ISO 3166 numeric country code")
        found = pycountry.countries.get(numeric=f"{int(iso):03d}")
        if found is None:
            raise ValueError(f"{iso} is not an ISO 3166 country code")
        return found.alpha_2
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        raise ValueError(f"“{name}” is not a country ISO 3166 knows") from None


@functools.lru_cache(maxsize=512)
def iso_numeric(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(int(found.numeric)) if found else ""


@functools.lru_cache(maxsize=4096)
def _split_names(text: str) -> tuple[str, ...]:
    # A file names the same actors and outlets on row after row: split each text once.
    return tuple(part.strip() for part in text.split(";") if part.strip())


@functools.lru_cache(maxsize=4096)
def _longest_name(text: str) -> int:
    return max(map(len, _split_names(text)), default=0)


def _names(text: str) -> list[str]:
    return list(_split_names(text))


def _count(text: str, column: str, problems: list[Problem], line: int) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        problems.append(Problem(line, column, f"“{text}” is not a whole number of zero or more"))
        return None
    return int(text)


def _longest(model, name: str) -> int:
    return model._meta.get_field(name).max_length


# Columns stored in a field of bounded length (names split on ';' are checked one by one).
LENGTHS = {"event_id_cnty": _longest(Development, "external_id"),
           "location": _longest(Development, "location"), "admin1": _longest(Development, "admin1")}
NAME_LENGTHS = {"actor1": _longest(Actor, "name"), "assoc_actor_1": _longest(Actor, "name"),
                "actor2": _longest(Actor, "name"), "assoc_actor_2": _longest(Actor, "name"),
                "source": _longest(Source, "outlet")}


def _check_text(raw: dict[str, str], bad) -> None:
    """What the record would refuse later, named now by column: control characters, over-long names."""
    # One search over the whole row (a newline is no control character); by column when it finds one.
    if CONTROL_CHARACTERS.search("\n".join(raw.values())):
        for column, value in raw.items():
            found = CONTROL_CHARACTERS.search(value)
            if found:
                bad(column, f"remove the control character U+{ord(found.group()):04X}")
    for column, limit in LENGTHS.items():
        if len(raw[column].strip()) > limit:
            bad(column, f"longer than {limit} characters")
    for column, limit in NAME_LENGTHS.items():
        if _longest_name(raw[column]) > limit:
            bad(column, f"a name longer than {limit} characters")


def parse_row(line: int, raw: dict[str, str]) -> Row:
    """The row on the file's `line` (its values by column), checked: every problem is on the Row."""
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    _check_text(raw, bad)
    external_id = raw["event_id_cnty"].strip()
    if not external_id:
        bad("event_id_cnty", "every event needs its id")
    occurred = None
    try:
        occurred = parse_date(raw["event_date"])
    except ValueError as error:
        bad("event_date", str(error))
    precision = PRECISIONS.get(raw["time_precision"].strip())
    if precision is None:
        bad("time_precision", f"“{raw['time_precision']}” is not 1 (day), 2 (week) or 3 (month)")
    elif occurred and not within_the_calendar(dt.datetime.combine(occurred, dt.time(), dt.UTC), precision):
        bad("event_date", f"the week of {occurred.isoformat()} runs past 31 Dec 9999")
    event_type, sub_event = raw["event_type"].strip(), raw["sub_event_type"].strip()
    kind = SUB_EVENT_KINDS.get(sub_event) or EVENT_KINDS.get(event_type)
    if kind is None:
        bad("event_type", f"“{event_type}” is not one of ACLED's event types")
    latitude = longitude = None
    for column, limit in (("latitude", 90), ("longitude", 180)):
        text = raw[column].strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            bad(column, f"“{text}” is not a number")
            continue
        if not -limit <= value <= limit:
            bad(column, f"{text} is out of range (−{limit} to {limit})")
        elif column == "latitude":
            latitude = value
        else:
            longitude = value
    if (raw["latitude"].strip() == "") != (raw["longitude"].strip() == ""):
        bad("longitude", "give both latitude and longitude, or neither")
    geo = raw["geo_precision"].strip()
    if geo and geo not in GEO_PRECISIONS:
        bad("geo_precision", f"“{geo}” is not 1 (exact), 2 (near) or 3 (region)")
    country = ""
    try:
        country = country_code(raw["iso"], raw["country"])
    except ValueError as error:
        bad("iso" if raw["iso"].strip() else "country", str(error))
    best = _count(raw["fatalities"], "fatalities", problems, line)
    low = _count(raw.get("fatalities_low", ""), "fatalities_low", problems, line)
    high = _count(raw.get("fatalities_high", ""), "fatalities_high", problems, line)
    bounds = [(name, value) for name, value in (("fatalities_low", low), ("fatalities", best),
                                                ("fatalities_high", high)) if value is not None]
    for (name_a, a), (name_b, b) in zip(bounds, bounds[1:], strict=False):
        if a > b:
            bad(name_b, f"{name_a} ({a}) is above {name_b} ({b}): low ≤ best ≤ high")
    made_on = occurred
    stamp = raw["timestamp"].strip()
    if stamp:
        if not stamp.isdigit():
            bad("timestamp", f"“{stamp}” is not a Unix time in seconds")
        else:
            try:
                made_on = dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
            except (OverflowError, ValueError, OSError):
                bad("timestamp", f"{stamp} is not a Unix time in the years 1970 to 9999")

    kept = {column: value for column, value in raw.items() if column not in MODELLED}
    location = raw["location"].strip()
    development = {
        "title": f"{sub_event or event_type} in {location or raw['admin1'].strip() or raw['country']}"[:200],
        "summary": raw["notes"].strip(), "kind": kind,
        "occurred_at": dt.datetime.combine(occurred, dt.time(), dt.UTC) if occurred else None,
        "occurred_precision": precision, "location": location, "admin1": raw["admin1"].strip(),
        "country": country, "latitude": latitude, "longitude": longitude,
        "geo_precision": GEO_PRECISIONS.get(geo, "") if latitude is not None else "",
        "external_id": external_id,
    }
    # Modelled values whose text is not what an export would write: kept as given.
    for column in RANGE_COLUMNS:  # not ACLED's: kept so that an export writes the column again
        if column in raw:
            kept[column] = raw[column]
    for column, written in (("event_id_cnty", external_id),
                            ("time_precision", PRECISION_CODES.get(precision, "")),
                            ("geo_precision", GEO_CODES.get(development["geo_precision"], "")),
                            ("latitude", canonical_float(latitude)),
                            ("longitude", canonical_float(longitude)),
                            ("event_date", occurred.isoformat() if occurred else ""),
                            ("notes", development["summary"]), ("location", location),
                            ("admin1", development["admin1"]), ("iso", iso_numeric(country)),
                            ("fatalities", "" if best is None else str(best))):
        if raw[column] != written:
            kept[column] = raw[column]
    development["external_data"] = kept
    actors = []
    for name_column, inter_column in (("actor1", "inter1"), ("assoc_actor_1", None),
                                      ("actor2", "inter2"), ("assoc_actor_2", None)):
        inter = raw.get(inter_column, "").strip().lower() if inter_column else ""
        for name in _split_names(raw[name_column]):
            actors.append((name, ACTOR_KINDS.get(inter, Actor.Kind.ORGANISATION)))
    figure = {"figure_low": low, "figure_best": best, "figure_high": high}
    return Row(line, external_id, development, actors, _names(raw["source"]), figure,
               made_on or dt.date.min, problems)


def read_deletions(data: bytes, name: str) -> list[str]:
    """ACLED's deletion list: `event_id_cnty` values, one per line or in a column of that name."""
    text = decode(data, name)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise LayoutError(f"{name} is not a readable CSV file: {error}.") from None
    if lines and "event_id_cnty" in [cell.strip() for cell in lines[0]]:
        at = [cell.strip() for cell in lines[0]].index("event_id_cnty")
        lines = lines[1:]
    else:
        at = 0
    return [cells[at].strip() for cells in lines if len(cells) > at and cells[at].strip()]
