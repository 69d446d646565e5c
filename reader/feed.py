"""The shape of a change-feed entry: a revision and the items it wrote, as the API and live show it.

`feed_revision` is the one shape: the change feed (`/api/changes/`) serves it,
the live streams send it as each event's data, and the API's
`FeedRevisionSerializer` documents it in the OpenAPI schema. It returns plain
JSON-ready values (times as ISO 8601 text, UTC as 'Z'), so whichever encoder
a surface uses writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from events.selectors import revision_story_slug
from record.changes import FeedEntry, ItemChange
from record.diff import FieldChange

__all__ = ["author_name", "feed_revision", "feed_time"]


def author_name(user) -> str:
    """How an editor is named to readers: full name, else username."""
    return user.get_full_name() or user.get_username()


def feed_time(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in the current time zone, UTC written 'Z' (as DRF writes a DateTimeField)."""
    if not moment:
        return None
    text = timezone.localtime(moment).isoformat() if timezone.is_aware(moment) else moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _field_change(change: FieldChange) -> dict[str, Any]:
    # Values as the one diff gives them (the surface's JSON encoder writes dates): not as_dict().
    words = None if change.words is None else [{"op": w.op, "text": w.text} for w in change.words]
    return {"field": str(change.field), "label": str(change.label),  # a label may be a lazy string
            "before": change.before, "after": change.after, "words": words}


def _item(item: ItemChange) -> dict[str, Any]:
    return {"type": item.type, "id": item.id, "version": item.version,
            "changes": [_field_change(change) for change in item.changes]}


def feed_revision(entry: FeedEntry) -> dict[str, Any]:
    """A change-feed entry: the revision (id, kind, message, time, leaf, author, story) and its items."""
    revision = entry.revision
    return {
        "id": revision.id,
        "kind": revision.kind,
        "message": revision.message,
        "created_at": feed_time(revision.created_at),
        "minor": revision.minor,
        "leaf_index": revision.leaf_index,
        "author": author_name(revision.author),
        "story": revision_story_slug(revision),
        "items": [_item(item) for item in entry.items],
    }
