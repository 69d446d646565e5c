"""After a revision commits, its event goes to Pushpin (when one is configured: settings.GRIP_URL)."""

from django.conf import settings
from django.dispatch import receiver

from record.aftercommit import enqueue
from record.signals import RevisionSummary, revision_committed

from .tasks import publish_revision


@receiver(revision_committed, dispatch_uid="live.revision_committed")
def on_revision_committed(sender, summary: RevisionSummary, **kwargs) -> None:
    # A broker hiccup never fails the editor's save (readers catch up on reconnect).
    if settings.GRIP_URL:
        enqueue(publish_revision, summary.revision_id)
