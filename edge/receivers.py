"""After a revision commits: note it as the latest (for 304s) and purge the edge by its keys;
after a checkpoint is published: purge the log's checkpoint and partial tiles."""

from django.conf import settings
from django.dispatch import receiver

from publiclog.signals import checkpoint_published
from record.aftercommit import enqueue
from record.signals import RevisionSummary, revision_committed

from . import latest
from .keys import LOG_HEAD, revision_keys
from .tasks import purge_revision


@receiver(revision_committed, dispatch_uid="edge.revision_committed")
def on_revision_committed(sender, summary: RevisionSummary, **kwargs) -> None:
    # A Redis hiccup is logged inside note_committed (s-maxage bounds the lag).
    latest.note_committed(summary.revision_id, summary.links.get("story"), summary.created_at)
    if settings.EDGE_PURGE_URLS:  # no edge configured: no task either
        enqueue(purge_revision, summary.revision_id, None, revision_keys(summary))


@receiver(checkpoint_published, dispatch_uid="edge.checkpoint_published")
def on_checkpoint_published(sender, checkpoint, **kwargs) -> None:
    if settings.EDGE_PURGE_URLS:
        enqueue(purge_revision, 0, None, [LOG_HEAD])  # no revision: nothing to hold back (edge/purge.py)
