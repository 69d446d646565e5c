"""Celery tasks of digests: thin, take ids, call services.

Late acks and database-derived work make every task safe to repeat. Work is
queued through digests.queue, which names these tasks without importing them,
so the imports run one way (tasks -> services -> queue).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import delivery, services, webhooks
from .queue import enqueue_delivery
from .retry import backoff

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


# --- tasks ----------------------------------------------------------------------

@shared_task(**TASK_OPTIONS)
def send_scheduled_digests(frequency: str) -> int:
    digests = services.digests_run(frequency)
    enqueue_delivery([d.pk for d in digests])
    return len(digests)


@shared_task(**TASK_OPTIONS)
def send_immediate_digests() -> int:
    digests = services.digests_run_immediate()
    enqueue_delivery([d.pk for d in digests])
    return len(digests)


@shared_task(**TASK_OPTIONS)
def deliver_digests(digest_ids: list[int]) -> None:
    # A failed send is not retried here: its retry is scheduled in the database
    # (enqueue_retry for a near one, the sweep for the rest), bounded per digest.
    delivery.digests_deliver(digest_ids)


@shared_task(**TASK_OPTIONS)
def sweep_digests() -> None:
    """Frequent safety net: immediate windows whose trigger was lost, lost deliveries, due email retries."""
    send_immediate_digests()
    enqueue_delivery(services.digests_stale())


@shared_task(bind=True, max_retries=5, **TASK_OPTIONS)
def send_confirmation(self, subscription_id: int) -> None:
    try:
        services.confirmation_send(subscription_id)
    except OSError as exc:  # smtplib errors are OSErrors: the mail server is away
        delay = backoff(self.request.retries + 1, base=settings.DIGESTS_RETRY_BASE_SECONDS,
                        cap=settings.DIGESTS_RETRY_MAX_DELAY_SECONDS)
        raise self.retry(exc=exc, countdown=delay.total_seconds()) from exc


@shared_task(**TASK_OPTIONS)
def webhook_retry(digest_id: int) -> None:
    webhooks.retry_delivery(digest_id)


@shared_task(**TASK_OPTIONS)
def webhook_retry_sweep() -> None:
    webhooks.retry_due_deliveries()
