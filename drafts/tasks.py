"""The beat job that publishes scheduled drafts: thin, safe to run twice or on two workers at once."""

from __future__ import annotations

from celery import shared_task

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(**TASK_OPTIONS)
def publish_due_drafts() -> list[int]:
    from .services import drafts_publish_due

    return drafts_publish_due()
