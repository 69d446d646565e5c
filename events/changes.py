"""The change feed: revisions in id order, each with the items it changed and how.

Revision ids are the cursor (see events.versioning): a reader that asks for
`after=<the last id it saw>` never misses a revision committed later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from claims.models import Actor, Claim, Source

from .diff import FieldChange, diff_versions
from .models import Development, Revision, Story
from .selectors import history_model, version_prefetches

MAX_PAGE = 200


@dataclass
class ItemChange:
    """One version written by a revision, compared with the same item's previous version."""

    type: str
    id: int
    version: int
    changes: list[FieldChange]


@dataclass
class FeedEntry:
    revision: Revision
    items: list[ItemChange] = field(default_factory=list)


def _feed_models() -> tuple:
    return (Story, Development, Claim, Actor, Source)


def change_feed(*, after: int, story: Story | None = None, limit: int = 50) -> list[FeedEntry]:
    """Up to `limit` revisions with id > `after` (of one story, if given), oldest first.

    Constant queries per page: one for the revisions, then per versioned model
    one for the versions they wrote, one for those items' previous versions,
    and one per many-to-many field for each of the two.
    """
    revisions = Revision.objects.filter(id__gt=after).select_related("author", "story")
    if story is not None:
        revisions = revisions.filter(story=story)
    entries = {rev.id: FeedEntry(rev) for rev in revisions.order_by("id")[:limit]}
    if not entries:
        return []
    for model in _feed_models():
        _attach_changes(model, entries)
    for entry in entries.values():
        entry.items.sort(key=lambda item: (item.type, item.id))
    return list(entries.values())


def _attach_changes(model, entries: dict[int, FeedEntry]) -> None:
    history = history_model(model)
    m2m = version_prefetches(model)
    rows = list(history.objects.filter(revision_id__in=entries).prefetch_related(*m2m))
    if not rows:
        return
    wanted = Q()
    for row in rows:
        if row.version > 1:
            wanted |= Q(id=row.id, version=row.version - 1)
    previous = {}
    if wanted:
        previous = {
            (old.id, old.version): old
            for old in history.objects.filter(wanted).prefetch_related(*m2m)
        }
    name = model._meta.model_name
    for row in rows:
        before = previous.get((row.id, row.version - 1))
        entries[row.revision_id].items.append(
            ItemChange(name, row.id, row.version, diff_versions(before, row))
        )
