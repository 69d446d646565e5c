"""After a revision commits: store the tiles its leaf filled (off the writing transaction)."""

from django.dispatch import receiver

from record.aftercommit import enqueue
from record.signals import RevisionSummary, revision_committed

from .tasks import store_tiles
from .tiles import WIDTH


@receiver(revision_committed, dispatch_uid="publiclog.revision_committed")
def on_revision_committed(sender, summary: RevisionSummary, **kwargs) -> None:
    # Only the leaf that completes a bundle (every 256th) fills tiles; a missed one is
    # stored by the next run or by the next checkpoint (tiles.store_full_tiles catches up).
    if summary.leaf_index is not None and (summary.leaf_index + 1) % WIDTH == 0:
        enqueue(store_tiles, summary.leaf_index + 1)
