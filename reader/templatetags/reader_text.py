"""Template filters for reader text: the house-style dates, places and figures of the reader layer."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from archive.selectors import failure_text
from reader import dates, text

register = template.Library()

register.filter("news_date", dates.news_date)
register.filter("news_time", dates.news_time)
register.filter("occurred", dates.occurred_text)
register.filter("figure", text.figure_text)
register.filter("capture_failure", failure_text)  # "not archived": why, in a reader's words


@register.filter
def occurred_iso(development) -> str:
    """`<time datetime>` of a development, cut to its precision ('2023-09', '2023-W38', ...)."""
    return dates.occurred_iso(development.occurred_at, development.occurred_precision)


register.filter("text_direction", text.text_direction)
register.filter("place", text.place_text)


@register.filter
def bdi(value) -> str:
    """User text isolated from the text around it: `<bdi>` (escaped), so an unterminated
    U+202E in a title ends with the title and the date after it still reads left to right."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)
