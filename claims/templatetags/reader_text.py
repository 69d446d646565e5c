"""Template filters for reader text: the house-style dates and figures of claims.display."""

from __future__ import annotations

from django import template

from claims import display

register = template.Library()

register.filter("news_date", display.news_date)
register.filter("news_time", display.news_time)
register.filter("occurred", display.occurred_text)
register.filter("figure", display.figure_text)
