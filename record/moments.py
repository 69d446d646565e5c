"""Reading an "as of" moment from a query string: one parser for pages and API alike."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def parse_moment(text: str) -> dt.datetime | None:
    """An ISO 8601 date or date-time in UTC, or None when `text` is not one.

    A bare date means its start; a time without an offset means UTC.
    """
    text = text.strip().replace(" ", "+")  # a '+' in a query string arrives as a space
    if not text.isascii():  # Python's \d also matches other scripts' digits: ISO 8601 does not
        return None
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = dt.datetime.combine(day, dt.time())
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        # In UTC now: 0001-01-01T00:00+05:00 or 9999-12-31T23:59-05:00 leave the
        # calendar, and would otherwise fail in the database query instead of here.
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None
