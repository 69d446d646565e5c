"""Writing a story back out in ACLED's column layout."""

from __future__ import annotations

import csv
from typing import IO

from events.models import Story

from .acled import (
    CODER,
    COLUMNS,
    GEO_CODES,
    MODELLED,
    PRECISION_CODES,
    canonical_float,
    iso_numeric,
    parse_date,
)
from .selectors import coded_figures, export_developments


def export_header(developments: list) -> list[str]:
    """ACLED's columns, then every other column the imported rows had (in the order first seen)."""
    extra: dict[str, None] = {}
    for development in developments:
        for column in (development.external_data or {}):
            if column not in COLUMNS:
                extra[column] = None
    return [*COLUMNS, *extra]


def export_row(development, figure) -> dict[str, str]:
    """A development (and its coded figure claim, or None) as an ACLED row."""
    kept = dict(development.external_data or {})

    def given(column: str, written: str, parse=str) -> str:
        # The text as imported while it still says what the field holds; else the field's value.
        if column in kept:
            try:
                if parse(kept[column]) == parse(written) or (written == "" and not kept[column].strip()):
                    return kept[column]
            except ValueError:
                pass
        return written

    row = {column: kept.get(column, "") for column in COLUMNS}
    row.update({column: value for column, value in kept.items() if column not in MODELLED})
    row["event_id_cnty"] = given("event_id_cnty", development.external_id or f"TRK{development.pk}",
                                 str.strip)
    row["event_date"] = given("event_date", development.occurred_at.date().isoformat(),
                              lambda text: parse_date(text) if text else None)
    row["time_precision"] = given("time_precision", PRECISION_CODES[development.occurred_precision],
                                  str.strip)
    row["location"] = given("location", development.location, str.strip)
    row["admin1"] = given("admin1", development.admin1, str.strip)
    row["iso"] = given("iso", iso_numeric(development.country), lambda text: int(text) if text else None)
    row["latitude"] = given("latitude", canonical_float(development.latitude),
                            lambda t: float(t) if t else None)
    row["longitude"] = given("longitude", canonical_float(development.longitude),
                             lambda t: float(t) if t else None)
    row["geo_precision"] = given("geo_precision", GEO_CODES.get(development.geo_precision, ""), str.strip)
    row["notes"] = given("notes", development.summary, str.strip)
    if figure is not None:
        for column, value in (("fatalities", figure.figure_best), ("fatalities_low", figure.figure_low),
                              ("fatalities_high", figure.figure_high)):
            written = "" if value is None else str(value)
            if column == "fatalities" or value is not None or column in kept:
                row[column] = given(column, written, lambda t: int(t) if t.strip() else None)
    return row


# A spreadsheet reads a cell that begins with one of these as a formula (CSV injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """`value`, or, when a spreadsheet would run it as a formula, the same text after an apostrophe.

    As OWASP's CSV-injection guidance and spreadsheet-safe CSV writers do. A
    number ("-12.5", "+3") is data, not a formula, and is written as it is.
    """
    if not value.startswith(FORMULA_LEADS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


class _EndLinesWithLF:
    """Rows ended "\r\n" by the csv writer, so that it quotes a field holding a bare CR
    (with "\n" alone it would not, and a reader would break the row there), written ended "\n"."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, line: str) -> int:
        return self.stream.write(line.removesuffix("\r\n") + "\n")


def write_acled(story: Story, stream: IO[str]) -> int:
    """The story's developments as ACLED rows (with the coder's figures); returns the count written.

    Every cell, header included, goes through `spreadsheet_safe`.
    """
    developments = export_developments(story)
    figures = coded_figures(story, CODER)
    header = export_header(developments)
    writer = csv.writer(_EndLinesWithLF(stream), lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(column) for column in header])
    for development in developments:
        row = export_row(development, figures.get(development.pk))
        writer.writerow([spreadsheet_safe(row.get(column, "")) for column in header])
    return len(developments)
