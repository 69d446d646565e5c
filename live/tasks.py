"""Celery task: publish a committed revision to Pushpin; a few quick retries, then give up and say so.

Giving up loses nothing: a reader's stream sees the gap at the next publish
(Pushpin asks for the missing revisions) or catches up on reconnect with
Last-Event-ID; the change feed always has every revision.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import grip, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def publish_revision(self, revision_id: int, urls: list[str] | None = None) -> int:
    """Publish to every Pushpin (or to `urls`, the ones that failed before): a retry goes only to
    the Pushpins that did not take the items, so the others never get them twice."""
    try:
        return services.revision_publish(revision_id, urls)
    except grip.PublishError as exc:
        # Run eagerly (no broker: inside the editor's request) it tries once and never sleeps.
        if self.request.is_eager or self.request.retries >= settings.LIVE_PUBLISH_RETRIES:
            logger.warning("live: giving up publishing revision %s after %s retries: %s",
                           revision_id, self.request.retries, exc)
            return 0
        raise self.retry(args=(revision_id, exc.urls), exc=exc,
                         countdown=0.5 * 2 ** self.request.retries) from exc
