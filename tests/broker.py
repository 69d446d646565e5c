"""The one broker swap of the suite: send this process's Celery tasks to a real Redis."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from kombu import pools

from tracker.celery import app as celery_app

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/1"


def redis_url() -> str:
    """The tests' own Redis database (TEST_REDIS_URL), never CI's or another checkout's."""
    return os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)


def reset_connections() -> None:
    # The app caches its connection and producer pools (kombu keeps a registry too);
    # a new broker URL needs fresh pools.
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str, settings, *, result_backend: str | None = None) -> Iterator[None]:
    """Send this process's tasks to `url` (not eagerly) until the block ends."""
    keys = ("broker_url", "result_backend", "task_always_eager", "task_eager_propagates")
    saved = {key: celery_app.conf[key] for key in keys}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=url, result_backend=result_backend, task_always_eager=False,
                           task_eager_propagates=False)
    reset_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset_connections()
