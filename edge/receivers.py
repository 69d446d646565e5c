"""After a revision commits: note it as the latest (for 304s) and purge the edge by its keys."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import StoryRevision
from record.models import Revision

from . import latest


def revision_committed(revision_id: int) -> None:
    from .tasks import purge_revision

    link = (StoryRevision.objects.filter(revision_id=revision_id)
            .values_list("story__slug", "revision__created_at").first())
    if link:
        latest.note_committed(revision_id, *link)
    else:
        moment = Revision.objects.filter(id=revision_id).values_list("created_at", flat=True).first()
        latest.note_committed(revision_id, None, moment)
    if settings.EDGE_PURGE_URLS:  # no edge configured: no task either
        purge_revision.delay(revision_id)


@receiver(post_save, sender=Revision, dispatch_uid="edge.revision_committed")
def revision_saved(sender, instance: Revision, created: bool, **kwargs) -> None:
    if not created:
        return
    # On commit, so the value never names a revision readers cannot see yet; robust,
    # so a Redis or broker hiccup never fails the editor's save (s-maxage bounds it).
    transaction.on_commit(lambda: revision_committed(instance.pk), robust=True)
