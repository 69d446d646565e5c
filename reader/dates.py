"""Dates in house style: '21 Sept 2023', '20 Sept 2023, 14:05 UTC', and when a development happened.

A moment is read in UTC and never shown more precisely than it is known (a
development's `occurred_precision`): pages, feeds, email, the API's
`occurred` and GeoJSON all take their dates from here.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

__all__ = ["MONTHS", "month_text", "news_date", "news_time", "occurred_iso", "occurred_parts",
           "occurred_text"]

# House style: "21 Sept 2023".
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


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
    # The calendar ends on Friday 31 Dec 9999: that last week reads to its last day
    # (a stored value is shown whatever it is; the record refuses new ones, events.models).
    sunday = monday + dt.timedelta(days=min(6, (dt.date.max - monday).days))
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
