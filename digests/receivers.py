"""After a revision commits, immediate subscriptions get their digest (events knows nothing of it)."""

from django.dispatch import receiver

from record.signals import RevisionSummary, revision_committed

from . import queue


@receiver(revision_committed, dispatch_uid="digests.revision_committed")
def on_revision_committed(sender, summary: RevisionSummary, **kwargs) -> None:
    # The window is read from the database (every revision not yet digested), so
    # the summary only says when; a lost message is found by the sweep.
    queue.enqueue_immediate()
