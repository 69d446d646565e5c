"""After a revision commits, its event goes to Pushpin (when one is configured: settings.GRIP_URL)."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from record.models import Revision


@receiver(post_save, sender=Revision, dispatch_uid="live.revision_committed")
def revision_saved(sender, instance: Revision, created: bool, **kwargs) -> None:
    if not created or not settings.GRIP_URL:
        return
    from .tasks import publish_revision

    # On commit, so the worker sees the revision and its story link; robust, so a
    # broker hiccup never fails the editor's save (readers catch up on reconnect).
    transaction.on_commit(lambda: publish_revision.delay(instance.pk), robust=True)
