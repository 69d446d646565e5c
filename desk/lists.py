"""What the desk's lists show: one list template, house-style dates, text cut at a word."""

from __future__ import annotations

import datetime as dt

from django.utils.text import Truncator

from reader.dates import news_date, news_time

LIST_TEMPLATE = "admin/desk/change_list.html"


def short(text: str, words: int = 18) -> str:
    """The first `words` words, with an ellipsis when cut: a list row stays a few lines tall."""
    return Truncator(text or "").words(words, truncate="…")


def house_date(value: dt.date | dt.datetime | None) -> str:
    """A date or a moment in the house style ('21 Sept 2023', '21 Sept 2023, 16:00 UTC'), '—' if none."""
    if value is None:
        return "—"
    return news_time(value) if isinstance(value, dt.datetime) else news_date(value)
