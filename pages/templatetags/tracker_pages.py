"""Template helpers of the public pages: machine dates, badges, safe JSON-LD.

Reader text (house-style dates, figures) comes from the `reader_text` library
(reader.text, reader.dates), shared with email and the desk.
"""

from __future__ import annotations

import datetime as dt
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tracker import site

register = template.Library()

# Same escapes as Django's json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def iso(value: dt.date | dt.datetime | None) -> str:
    """For <time datetime>: HTML allows at most milliseconds, so whole seconds."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if value else ""


@register.filter
def as_of_param(value: dt.datetime | None) -> str:
    """A revision time, exact to the microsecond, so the as-of view includes that revision."""
    return value.isoformat() if value else ""


@register.filter
def absolute(path: str) -> str:
    """A site path as a link that works off the site (feeds are read elsewhere)."""
    return site.absolute(path)


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
