"""Celery task: purge the edge of what a revision touched, retried with a bounded backoff."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from record.summary import summary_of

from . import keys as edge_keys
from . import purge


def backoff(retries: int) -> float:
    return min(settings.EDGE_PURGE_RETRY_BASE_SECONDS * 2 ** retries, 60.0)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None)
def purge_revision(self, revision_id: int, urls: list[str] | None = None,
                   keys: list[str] | None = None) -> int:
    """PURGE the keys of `revision_id` at every edge (or at `urls`, the ones that failed before).

    Idempotent: a purge twice is a purge. Bounded: after EDGE_PURGE_MAX_RETRIES
    the cached objects expire by themselves within s-maxage, so retrying
    longer buys nothing. Without a broker (eager mode) it tries once, so a
    down Varnish never holds up an editor's save.
    """
    if not settings.EDGE_PURGE_URLS and urls is None:
        return 0
    if keys is None:
        summary = summary_of(revision_id)
        keys = edge_keys.revision_keys(summary) if summary is not None else [edge_keys.CHANGES]
    failed = purge.purge(keys, urls, revision_id)
    if failed and not self.request.is_eager and self.request.retries < settings.EDGE_PURGE_MAX_RETRIES:
        raise self.retry(args=(revision_id, failed, keys), countdown=backoff(self.request.retries))
    return len(failed)
