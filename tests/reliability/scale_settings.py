"""Settings of every process the scale-out test starts: web nodes, workers and beat.

The fault tests' worker settings (Redis broker, SMTP to the test's sink,
webhooks to loopback, a second for "lost"), plus what several nodes share in
production: the cache on the test's Redis (so every node knows the latest
revision), beat's sweeps every second, and Redis handing a killed worker's
unacknowledged messages to the other worker after a few seconds rather than
an hour. GRIP_URL, GRIP_SIG_KEY and EDGE_PURGE_URLS come from the environment.
"""

import os

from tests.reliability.worker_settings import *  # noqa: F403
from tracker.settings import redis_cache

CACHES = redis_cache(os.environ["TEST_REDIS_URL"])
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4, "unacked_restore_interval": 1,
                                   "unacked_restore_throttle": 1}
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": 1.0}
    for name, entry in CELERY_BEAT_SCHEDULE.items()  # noqa: F405
    if name in ("digests-sweep", "webhook-retry-sweep")
}
