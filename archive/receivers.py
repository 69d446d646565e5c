"""Capture at citation: a source version with a new URL queues its capture once the revision commits."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from events.models import Source

from . import services


@receiver(post_save, sender=Source.history.model, dispatch_uid="archive.source_version")
def source_version_saved(sender, instance, created: bool, **kwargs) -> None:
    # A version that is not yet archived and has a URL: a new source, a changed
    # URL (source_update clears the archive fields), or a restore of one. The
    # capture revision's own version is archived, so it queues nothing.
    if not created or not instance.url or instance.archived_at or not settings.ARCHIVE_CAPTURE_ON_CITE:
        return
    services.capture_enqueue(instance.id)
