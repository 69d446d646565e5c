"""The one event that follows a revision: `revision_committed`, and what it carries.

Every piece of work that follows a committed revision hangs off this signal
(edge purge, the live event, immediate digests, captures at citation, and any
later consumer); nothing listens to `post_save` on Revision.

`revision_committed` is sent exactly once per revision, after the
transaction that wrote it commits, and never for one rolled back
(record.versioning sends it through record.aftercommit). Receivers take
`sender` (the Revision class) and `summary`, a `RevisionSummary` computed
once for them all. Receivers are called robustly: one that raises is
logged, and the others still run; a receiver that queues work does so with
`record.aftercommit.enqueue` (at once: the transaction has committed).

    from record.signals import revision_committed

    @receiver(revision_committed, dispatch_uid="myapp.revision_committed")
    def on_revision_committed(sender, summary: RevisionSummary, **kwargs): ...
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.dispatch import Signal

revision_committed = Signal()


@dataclass(frozen=True)
class ItemRef:
    """An item by its model name ('development') and id."""

    model: str
    id: int


@dataclass(frozen=True)
class WrittenItem:
    """One version the revision wrote, and the items it belongs to.

    `fields` are the version's values as the log holds them (foreign keys by
    attname, many-to-many sets as sorted ids); `parents` the chain of items it
    belongs to, nearest first, as the models declare it (`Versioned.belongs_to`):
    a claim's development, then that development's story.
    """

    model: str
    label: str
    id: int
    version: int
    fields: dict
    parents: tuple[ItemRef, ...] = ()

    @property
    def ref(self) -> ItemRef:
        return ItemRef(self.model, self.id)


@dataclass(frozen=True)
class RevisionSummary:
    """What a committed revision wrote: computed once, from its line in the log."""

    revision_id: int
    created_at: dt.datetime
    kind: str
    author: str
    minor: bool
    leaf_index: int | None
    items: tuple[WrittenItem, ...]
    # What the domains' links say of the revision, as its log line has it (e.g. story, story_id).
    links: dict = field(default_factory=dict)

    def written(self, model: str) -> list[WrittenItem]:
        """The items of one model (by name) the revision wrote."""
        return [item for item in self.items if item.model == model]

    def touched(self, model: str) -> set[int]:
        """Ids of every item of `model` the revision wrote or wrote beneath (as a parent)."""
        return {ref.id for item in self.items for ref in (item.ref, *item.parents) if ref.model == model}
