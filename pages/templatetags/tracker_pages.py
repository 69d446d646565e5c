"""Template helpers of the public pages: newsroom dates, figures, badges, safe JSON-LD."""

from __future__ import annotations

import datetime as dt
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.models import figure_text

register = template.Library()

# House style: "21 Sept 2023".
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]

# Same escapes as Django's json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _utc(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, dt.UTC) if timezone.is_aware(value) else value


@register.filter
def news_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _utc(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def news_time(value: dt.datetime | None) -> str:
    """A revision time, to the minute: '20 Sept 2023, 14:05 UTC'."""
    if value is None:
        return ""
    value = _utc(value)
    return f"{news_date(value)}, {value:%H:%M} UTC"


@register.filter
def occurred(development) -> str:
    """When a development happened, no more precisely than it is known."""
    start = _utc(development.occurred_at)
    text = news_date(start)
    if development.occurred_precision in ("hour", "minute"):
        text = f"{text}, {start:%H:%M} UTC"
    if development.ended_at:
        end = _utc(development.ended_at)
        if development.occurred_precision == "day":
            if (end.year, end.month) == (start.year, start.month) and end.day != start.day:
                text = f"{start.day}–{news_date(end)}"
            elif end.date() != start.date():
                text = f"{text} to {news_date(end)}"
        else:
            text = f"{text} to {news_time(end) if end.date() != start.date() else f'{end:%H:%M} UTC'}"
    return text


@register.filter
def shown(value):
    """A value in a diff: times in house style, anything else as it is."""
    return news_time(value) if isinstance(value, dt.datetime) else value


@register.filter
def iso(value: dt.date | dt.datetime | None) -> str:
    """For <time datetime>: HTML allows at most milliseconds, so whole seconds."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if value else ""


@register.filter
def as_of_param(value: dt.datetime) -> str:
    """A revision time, exact to the microsecond, so the as-of view includes that revision."""
    return value.isoformat()


@register.filter
def figure(claim) -> str:
    return figure_text(claim)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, []) if mapping else []


@register.simple_tag
def badge(claim):
    """Verification in words (never colour alone): 'Unverified', 'Disputed', ..."""
    return format_html(
        '<span class="badge badge-{}">{}</span>', claim.verification, claim.get_verification_display()
    )


@register.simple_tag
def jsonld(data) -> str:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 (escaped above)
