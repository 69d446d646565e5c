"""Reading an ACLED-layout file as a stream: one checked row at a time, in memory that does not grow.

The file is read a line at a time from its bytes (`open_rows` takes any binary
stream: a file, an upload), decoded as UTF-8 line by line (so a bad byte is
named by its offset in the file) and parsed by `csv` as it goes. Each row is
checked as it is read (`acled.parse_row`); only the event ids seen so far are
kept for the whole file (to name a duplicate), a few dozen bytes a row. An
unreadable file (not UTF-8, not CSV, no header, missing columns) raises
`LayoutError`: at once when the header is at fault, when it is reached otherwise.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .acled import REQUIRED, LayoutError, Problem, Row, parse_row


def text_lines(stream: BinaryIO, name: str) -> Iterator[str]:
    """The file's text a line at a time ('\\n', '\\r\\n' or a bare '\\r' ends one, as csv expects)."""
    offset = 0
    for raw in stream:  # split at b"\n" only: no UTF-8 character holds that byte
        skip = len(codecs.BOM_UTF8) if offset == 0 and raw.startswith(codecs.BOM_UTF8) else 0
        try:
            text = raw[skip:].decode("utf-8")
        except UnicodeDecodeError as bad:
            at = skip + bad.start
            raise LayoutError(f"{name} is not UTF-8 text (byte {raw[at]:#04x} at offset {offset + at}): "
                              "save it as UTF-8 CSV.") from None
        if "\x00" in text:
            raise LayoutError(f"{name} is not a CSV file (it holds NUL bytes).")
        offset += len(raw)
        # A bare CR ends a line too, as it does for a file opened with newline="".
        yield from io.StringIO(text, newline="") if "\r" in text[:-2] else (text,)


@dataclass
class RowStream:
    """The rows of one file, checked as they are read; iterate once."""

    name: str
    header: list[str]
    reader: Iterator[list[str]]
    line_number: Callable[[], int]  # the csv reader's line_num, read after each row
    seen: dict[str, int] = field(default_factory=dict)  # event id -> the line it was first on

    def __iter__(self) -> Iterator[Row]:
        try:
            for values in self.reader:
                line = self.line_number()
                if not any(value.strip() for value in values):
                    continue
                if len(values) != len(self.header):
                    yield broken(line, Problem(line, "(row)", f"{len(values)} fields where the header "
                                                              f"has {len(self.header)}"))
                    continue
                row = parse_row(line, dict(zip(self.header, values, strict=True)))
                first = self.seen.setdefault(row.external_id, line)
                if first != line:
                    row.problems.append(Problem(line, "event_id_cnty",
                                                f"“{row.external_id}” is also on row {first}"))
                yield row
        except csv.Error as error:
            raise LayoutError(f"{self.name} is not a readable CSV file: {error}.") from None


def broken(line: int, problem: Problem) -> Row:
    """A row that could not be read into fields: only its problem is kept."""
    return Row(line, "", {}, [], [], {}, None, [problem])


def open_rows(stream: BinaryIO, name: str) -> RowStream:
    """The file's header, checked now, and its rows to read one at a time."""
    reader = csv.reader(text_lines(stream, name), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise LayoutError(f"{name} is not a readable CSV file: {error}.") from None
    if not header:
        raise LayoutError(f"{name} is empty: it needs ACLED's header row.")
    header = [column.strip() for column in header]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise LayoutError(f"{name} is not in ACLED's layout: missing column(s) {', '.join(missing)}.")
    if len(set(header)) != len(header):
        raise LayoutError(f"{name} names a column twice in its header.")
    return RowStream(name, header, reader, lambda: reader.line_num)


def in_batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Rows `size` at a time (the last batch may be shorter); only one batch is held."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch
