"""Numbers from a request (query parameters, path ids) checked against what the database can hold.

A number beyond a column's range never reaches the database: SQLite raises
OverflowError past 64 bits and PostgreSQL a DataError past the column, and
either would be a 500 for a reader's typo. The API's serializers and filters,
the pages and the desk all take their bounds from here, so both engines answer
the same 400 (a query parameter, named) or 404 (a path id that cannot exist).
Request parsing is a surface's concern, not the record core's: it lives in the
reader layer, whose app registers `IdConverter` as `<id:...>` (reader.apps).
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # every table's id is a BigAutoField
MAX_VERSION = 2**31 - 1  # an item's version is a PositiveIntegerField

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,25}")  # ASCII digits only: int() would take "١٢" and "1_0"


class OutOfRange(ValueError):
    """A query parameter that is not a whole number within its bounds; the message names it."""

    def __init__(self, name: str, minimum: int, maximum: int) -> None:
        super().__init__(f"“{name}” must be a whole number from {minimum} to {maximum}.")
        self.name = name


def bounded_int(raw: str | None, *, name: str, minimum: int, maximum: int, default: int | None = None) -> int:
    """`raw` as an int in [minimum, maximum]; `default` when it is absent; else OutOfRange."""
    if raw is None and default is not None:
        return default
    if raw is None or not _WHOLE_NUMBER.fullmatch(raw):
        raise OutOfRange(name, minimum, maximum)
    value = int(raw)
    if not minimum <= value <= maximum:
        raise OutOfRange(name, minimum, maximum)
    return value


class IdConverter:
    """`<id:pk>`: a row id in a path; one no row can have matches no URL (404)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is out of range")  # Django: no match
        return number

    def to_url(self, value: int) -> str:
        return str(value)
