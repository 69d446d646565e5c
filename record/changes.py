"""The change feed: revisions in id order, each with the items it changed and how.

Revision ids are the cursor (see record.versioning): a reader that asks for
`after=<the last id it saw>` never misses a revision committed later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from .diff import FieldChange, diff_versions
from .models import Revision
from .registry import versioned_models
from .selectors import version_prefetches, versions_written_by

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


def change_feed(*, after: int, revisions: QuerySet | None = None, limit: int = 50) -> list[FeedEntry]:
    """Up to `limit` revisions with id > `after`, oldest first.

    `revisions` narrows the log (a domain passes e.g. one story's revisions,
    with whatever it wants selected alongside). Constant queries per page: one
    for the revisions, then per versioned model one for the versions they
    wrote, one for those items' previous versions, and one per many-to-many
    field for each of the two.
    """
    if revisions is None:
        revisions = Revision.objects.all()
    # Each revision's place in the public log rides along (None while the tree is off).
    revisions = (revisions.filter(id__gt=after).select_related("author")
                 .annotate(leaf_index=F("log_leaf__index")))
    entries = {rev.id: FeedEntry(rev) for rev in revisions.order_by("id")[:limit]}
    if not entries:
        return []
    for model in versioned_models():
        _attach_changes(model, entries)
    for entry in entries.values():
        entry.items.sort(key=lambda item: (item.type, item.id))
    return list(entries.values())


def _attach_changes(model, entries: dict[int, FeedEntry]) -> None:
    history = model.history.model
    m2m = version_prefetches(model)
    rows = list(versions_written_by(model, revision_id__in=entries).prefetch_related(*m2m))
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
