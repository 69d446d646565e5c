"""Celery tasks of the archive: thin, take ids, call services; safe to repeat (late acks)."""

from __future__ import annotations

from celery import shared_task

from . import services

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(**TASK_OPTIONS)
def capture_source_task(source_id: int) -> None:
    services.source_capture(source_id)


@shared_task(**TASK_OPTIONS)
def watch_sources() -> int:
    """Beat: check the cited sources that are due (daily in their first week, weekly after)."""
    return services.sources_check_due()
