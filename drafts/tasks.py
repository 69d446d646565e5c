"""The beat job that publishes scheduled drafts: thin, safe to run twice or on two workers at once."""

from __future__ import annotations

from celery import shared_task

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(**TASK_OPTIONS)
def publish_due_drafts() -> list[int]:
    from .services import drafts_publish_due

    return drafts_publish_due()


@shared_task(bind=True, max_retries=5, **TASK_OPTIONS)
def tell_of_draft_step(self, draft_id: int, action: str) -> None:
    """Email the reviewers or the author of a draft's step (drafts.notifications)."""
    from .notifications import draft_step_send

    try:
        draft_step_send(draft_id, action)
    except OSError as exc:  # smtplib errors are OSErrors: the mail server is away
        raise self.retry(exc=exc, countdown=60 * (self.request.retries + 1)) from exc
