"""After commit: the one way product code hands work on once a transaction commits.

The database is the truth and queue messages are hints: work is queued only
once the rows it reads are committed (at once outside a transaction), and a
broker that cannot be reached never fails the caller's commit; the sweeps
find the work later. Work that no sweep would redo names an `otherwise` to
run in its place when the message cannot be queued.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def after_commit(work: Callable[[], object]) -> None:
    """Run `work()` once the current transaction commits (never if it rolls back).

    `robust`: an exception is logged, not raised into the committed caller.
    """
    transaction.on_commit(work, robust=True)


def enqueue(task, *args, countdown: float | None = None,
            otherwise: Callable[[], object] | None = None) -> None:
    """Queue the Celery task `task(*args)` once the current transaction commits."""

    def send() -> None:
        try:
            task.apply_async(args, countdown=countdown)
        except OperationalError:
            if otherwise is None:
                raise  # logged by on_commit(robust=True); a sweep picks the work up
            otherwise()

    after_commit(send)
