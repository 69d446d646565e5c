"""Celery tasks, and the only place digests enqueue work: thin, take ids, call services.

Late acks and database-derived work make every task safe to repeat. The
modules that schedule work (services, email_delivery, webhooks, receivers)
call the `enqueue_*` functions here; the tasks import those modules inside
their bodies, so the imports run one way.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Subscription
from .queue import after_commit
from .retry import backoff

BATCH = 50
TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
# Retries nearer than this go to the queue as a countdown task; later ones wait
# for the sweep. Kept well below the Redis broker's visibility timeout.
MAX_QUEUED_RETRY_SECONDS = 300


# --- enqueueing ---------------------------------------------------------------

def enqueue_immediate(revision_id: int) -> None:
    """After a revision commits: the immediate digests (a lost message: the sweep builds them)."""
    after_commit(send_immediate_digests, revision_id)


def enqueue_delivery(digest_ids: list[int]) -> None:
    """Deliver in batches (one SMTP connection each), once the digests are committed."""
    for start in range(0, len(digest_ids), BATCH):
        after_commit(deliver_digests, digest_ids[start:start + BATCH])


def enqueue_confirmation(subscription_id: int) -> None:
    from . import services

    # Unlike a digest, no sweep would send this mail later, and the reader is
    # waiting for it now: with the broker down it is sent from here.
    after_commit(send_confirmation, subscription_id,
                 otherwise=lambda: services.confirmation_send(subscription_id))


def enqueue_retry(digest_id: int, channel: str, when: dt.datetime) -> None:
    """A near retry as a countdown task; a later one is left to the sweeps (no long ETAs)."""
    countdown = (when - timezone.now()).total_seconds()
    if countdown > MAX_QUEUED_RETRY_SECONDS:
        return
    countdown = max(countdown, 0)
    if channel == Subscription.Channel.WEBHOOK:
        after_commit(webhook_retry, digest_id, countdown=countdown)
    else:
        after_commit(deliver_digests, [digest_id], countdown=countdown)


# --- tasks ----------------------------------------------------------------------

@shared_task(**TASK_OPTIONS)
def send_scheduled_digests(frequency: str) -> int:
    from . import services

    digests = services.digests_run(frequency)
    enqueue_delivery([d.pk for d in digests])
    return len(digests)


@shared_task(**TASK_OPTIONS)
def send_immediate_digests(revision_id: int | None = None) -> int:
    from . import services

    digests = services.digests_run_immediate()
    enqueue_delivery([d.pk for d in digests])
    return len(digests)


@shared_task(**TASK_OPTIONS)
def deliver_digests(digest_ids: list[int]) -> None:
    # A failed send is not retried here: its retry is scheduled in the database
    # (enqueue_retry for a near one, the sweep for the rest), bounded per digest.
    from . import delivery

    delivery.digests_deliver(digest_ids)


@shared_task(**TASK_OPTIONS)
def sweep_digests() -> None:
    """Frequent safety net: immediate windows whose trigger was lost, lost deliveries, due email retries."""
    from . import services

    send_immediate_digests()
    enqueue_delivery(services.digests_stale())


@shared_task(bind=True, max_retries=5, **TASK_OPTIONS)
def send_confirmation(self, subscription_id: int) -> None:
    from . import services

    try:
        services.confirmation_send(subscription_id)
    except OSError as exc:  # smtplib errors are OSErrors: the mail server is away
        delay = backoff(self.request.retries + 1, base=settings.DIGESTS_RETRY_BASE_SECONDS,
                        cap=settings.DIGESTS_RETRY_MAX_DELAY_SECONDS)
        raise self.retry(exc=exc, countdown=delay.total_seconds()) from exc


@shared_task(**TASK_OPTIONS)
def webhook_retry(digest_id: int) -> None:
    from . import webhooks

    webhooks.retry_delivery(digest_id)


@shared_task(**TASK_OPTIONS)
def webhook_retry_sweep() -> None:
    from . import webhooks

    webhooks.retry_due_deliveries()
