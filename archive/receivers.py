"""Capture at citation: a source version with a new URL queues its capture once the revision commits."""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver

from record.aftercommit import enqueue
from record.signals import RevisionSummary, revision_committed

from .tasks import capture_source_task


@receiver(revision_committed, dispatch_uid="archive.revision_committed")
def on_revision_committed(sender, summary: RevisionSummary, **kwargs) -> None:
    # A version that is not yet archived and has a URL: a new source, a changed
    # URL (source_update clears the archive fields), or a restore of one. The
    # capture revision's own version is archived, so it queues nothing; a lost
    # message is found by the watcher.
    if not settings.ARCHIVE_CAPTURE_ON_CITE:
        return
    for source in summary.written("source"):
        if source.fields.get("url") and not source.fields.get("archived_at"):
            enqueue(capture_source_task, source.id)
