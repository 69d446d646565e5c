"""Celery tasks: thin, take ids, call services; late acks and retries make them safe to repeat."""

from __future__ import annotations

import random

from celery import shared_task
from django.conf import settings
from django.db import transaction

from . import services

BATCH = 50
TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


def _backoff(retries: int) -> float:
    base = getattr(settings, "DIGESTS_RETRY_BASE_SECONDS", 30)
    return min(base * 2 ** retries, 3600) * (0.5 + random.random() / 2)  # jitter spreads retries


def enqueue_delivery(digest_ids: list[int]) -> None:
    """Deliver in batches (one SMTP connection each), once the digests are committed."""
    for start in range(0, len(digest_ids), BATCH):
        batch = digest_ids[start:start + BATCH]
        transaction.on_commit(lambda batch=batch: deliver_digests.delay(batch))


@shared_task(**TASK_OPTIONS)
def send_scheduled_digests(frequency: str) -> int:
    digests = services.digests_run(frequency)
    enqueue_delivery([d.pk for d in digests])
    return len(digests)


@shared_task(**TASK_OPTIONS)
def send_immediate_digests(revision_id: int | None = None) -> int:
    digests = services.digests_immediate()
    enqueue_delivery([d.pk for d in digests])
    return len(digests)


@shared_task(bind=True, max_retries=8, **TASK_OPTIONS)
def deliver_digests(self, digest_ids: list[int]) -> None:
    failed = services.digests_deliver(digest_ids)
    if failed:
        # Only the failures go round again; what was sent is marked sent and skipped.
        raise self.retry(args=[failed], countdown=_backoff(self.request.retries))


@shared_task(**TASK_OPTIONS)
def sweep_digests() -> None:
    """Frequent safety net: immediate windows whose trigger was lost, deliveries that were lost."""
    send_immediate_digests()
    enqueue_delivery(services.digests_stale())


@shared_task(bind=True, max_retries=5, **TASK_OPTIONS)
def send_confirmation(self, subscription_id: int) -> None:
    try:
        services.confirmation_send(subscription_id)
    except OSError as exc:  # smtplib errors are OSErrors: the mail server is away
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(**TASK_OPTIONS)
def webhook_retry(digest_id: int) -> None:
    from . import webhooks

    webhooks.retry_delivery(digest_id)


@shared_task(**TASK_OPTIONS)
def webhook_retry_sweep() -> None:
    from . import webhooks

    webhooks.retry_due_deliveries()
