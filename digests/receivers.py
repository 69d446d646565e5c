"""After a revision commits, immediate subscriptions get their digest (events knows nothing of it)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from record.models import Revision

from . import tasks


@receiver(post_save, sender=Revision, dispatch_uid="digests.revision_committed")
def revision_saved(sender, instance: Revision, created: bool, **kwargs) -> None:
    if not created:
        return
    # After commit, so the worker sees the revision; a broker hiccup never fails
    # the editor's save (the sweep picks the window up later).
    tasks.enqueue_immediate(instance.pk)
