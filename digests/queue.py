"""Enqueue after commit: the one way digests hand work to Celery.

The database is the truth and queue messages are hints: a task is queued only
once the rows it reads are committed (at once outside a transaction), and a
broker that cannot be reached never fails the caller's commit (`robust=True`);
the sweeps find the work later. Work that no sweep would redo names an
`otherwise` to run in its place when the message cannot be queued.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from kombu.exceptions import OperationalError


def after_commit(task, *args, countdown: float | None = None,
                 otherwise: Callable[[], object] | None = None) -> None:
    """Queue `task(*args)` once the current transaction commits."""

    def enqueue() -> None:
        try:
            task.apply_async(args, countdown=countdown)
        except OperationalError:
            if otherwise is None:
                raise  # logged by on_commit(robust=True); a sweep picks the work up
            otherwise()

    transaction.on_commit(enqueue, robust=True)
