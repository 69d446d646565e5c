"""Template filters for reader text: the house-style dates and figures of claims.display."""

from __future__ import annotations

from django import template

from claims import display

register = template.Library()

register.filter("news_date", display.news_date)
register.filter("news_time", display.news_time)
register.filter("occurred", display.occurred_text)
register.filter("figure", display.figure_text)


@register.filter
def occurred_iso(development) -> str:
    """`<time datetime>` of a development, cut to its precision ('2023-09', '2023-W38', ...)."""
    return display.occurred_iso(development.occurred_at, development.occurred_precision)


register.filter("text_direction", display.text_direction)
register.filter("place", display.place_text)
