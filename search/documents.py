"""What the index holds of one version: its searchable text and facets, from the version's fields.

The fields are a version as the log holds them (record.signals.WrittenItem.fields:
foreign keys by attname, many-to-many sets as sorted ids, times as ISO 8601), so
the receiver and the rebuild read the same shape and cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The searchable models by their model name, and the entry type each becomes.
TYPES = {"story": "story", "briefing": "briefing", "development": "development",
         "claim": "claim", "actor": "actor", "source": "source"}

# PostgreSQL's text search configurations for the languages quotes come in; `simple`
# (no stemming, no stop words) where it has none, e.g. Azerbaijani.
LANGUAGE_CONFIGS = {"en": "english", "ru": "russian", "hy": "armenian", "tr": "turkish",
                    "fr": "french", "de": "german", "ar": "arabic", "es": "spanish"}

# How long a moment given with each precision stands for (a month is its calendar month).
PRECISION_SPAN = {"minute": dt.timedelta(minutes=1), "hour": dt.timedelta(hours=1),
                  "day": dt.timedelta(days=1), "week": dt.timedelta(weeks=1)}


@dataclass
class Document:
    """An entry's content: what is searched and what it is faceted by."""

    title: str
    body: str = ""
    original: str = ""
    original_config: str = "simple"
    story_id: int | None = None
    development_id: int | None = None
    kind: str = ""
    status: str = ""
    verification: str = ""
    key_event: bool = False
    occurred_from: dt.datetime | None = None
    occurred_until: dt.datetime | None = None
    country: str = ""
    admin1: str = ""
    actor_ids: list[int] = field(default_factory=list)


def _moment(value) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


def _join(*parts) -> str:
    return "\n".join(str(part) for part in parts if part)


def language_config(tag: str) -> str:
    """The text search configuration for a BCP 47 tag ('hy-Latn' -> 'armenian'); 'simple' if none."""
    return LANGUAGE_CONFIGS.get((tag or "").split("-")[0].lower(), "simple")


def occurred_window(start, precision: str, end=None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The span a development may have happened in: the unit its precision names, or until its end.

    A day-precision moment is its whole (UTC) day, whatever time it was stored at;
    a month is its calendar month; a week the seven days from its day.
    """
    start, end = _moment(start), _moment(end)
    if start is None:
        return None, None
    precision = precision or "day"
    if precision == "minute":
        start = start.replace(second=0, microsecond=0)
    elif precision == "hour":
        start = start.replace(minute=0, second=0, microsecond=0)
    else:
        start = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == "month":
        start = start.replace(day=1)
        until = (start + dt.timedelta(days=32)).replace(day=1)
    else:
        until = start + PRECISION_SPAN.get(precision, PRECISION_SPAN["day"])
    return start, max(until, end) if end else until


def document(model: str, fields: dict, *, story_id: int | None) -> Document:
    """The document of one version of a `model` ('development', 'claim', ...)."""
    get = fields.get
    if model == "development":
        start, until = occurred_window(get("occurred_at"), get("occurred_precision"), get("ended_at"))
        return Document(
            title=get("title") or "", body=_join(get("summary"), get("location"), get("admin1"),
                                                 get("retraction_reason")),
            story_id=get("story_id"), kind=get("kind") or "", status=get("status") or "",
            key_event=bool(get("key_event")), occurred_from=start, occurred_until=until,
            country=get("country") or "", admin1=get("admin1") or "", actor_ids=list(get("actors") or []))
    if model == "claim":
        return Document(
            title=get("paraphrase") or "", body=_join(get("quote"), get("figure_note"),
                                                      get("verification_note"), get("retraction_reason")),
            original=get("quote_original") or "", original_config=language_config(get("quote_language")),
            story_id=story_id, development_id=get("development_id"),
            verification=get("verification") or "", status="retracted" if get("retracted") else "",
            actor_ids=[get("actor_id")] if get("actor_id") else [])
    if model == "briefing":
        return Document(title="What we know", body=get("text") or "", story_id=get("story_id"))
    if model == "story":
        return Document(title=get("title") or "", body=get("summary") or "", status=get("status") or "")
    if model == "actor":
        return Document(title=get("name") or "", body=get("role") or "", kind=get("kind") or "")
    if model == "source":
        return Document(title=get("title") or "", body=_join(get("outlet"), get("url")))
    raise ValueError(f"{model!r} is not searchable")
