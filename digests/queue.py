"""Queueing digest work after commit: the enqueue side of digests.tasks.

Tasks are named, not imported (the tasks import the services that queue
work, so importing them here would run the imports in a circle); the digests
app imports digests.tasks when it starts, so every name is registered.
Queueing goes through record.aftercommit: only once the rows a task reads are
committed, and a broker that cannot be reached never fails the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from celery import current_app
from django.utils import timezone

from record.aftercommit import enqueue

from .models import Subscription

BATCH = 50
# Retries nearer than this go to the queue as a countdown task; later ones wait
# for the sweep. Kept well below the Redis broker's visibility timeout.
MAX_QUEUED_RETRY_SECONDS = 300


def _task(name: str):
    return current_app.tasks[f"digests.tasks.{name}"]


def enqueue_immediate() -> None:
    """After a revision commits: the immediate digests (a lost message: the sweep builds them)."""
    enqueue(_task("send_immediate_digests"))


def enqueue_delivery(digest_ids: list[int]) -> None:
    """Deliver in batches (one SMTP connection each), once the digests are committed."""
    for start in range(0, len(digest_ids), BATCH):
        enqueue(_task("deliver_digests"), digest_ids[start:start + BATCH])


def enqueue_confirmation(subscription_id: int, *, otherwise: Callable[[], object]) -> None:
    """The confirmation mail; unlike a digest, no sweep would send it later, and the reader
    is waiting for it now: with the broker down, `otherwise` sends it from here."""
    enqueue(_task("send_confirmation"), subscription_id, otherwise=otherwise)


def enqueue_retry(digest_id: int, channel: str, when: dt.datetime) -> None:
    """A near retry as a countdown task; a later one is left to the sweeps (no long ETAs)."""
    countdown = (when - timezone.now()).total_seconds()
    if countdown > MAX_QUEUED_RETRY_SECONDS:
        return
    countdown = max(countdown, 0)
    if channel == Subscription.Channel.WEBHOOK:
        enqueue(_task("webhook_retry"), digest_id, countdown=countdown)
    else:
        enqueue(_task("deliver_digests"), [digest_id], countdown=countdown)
