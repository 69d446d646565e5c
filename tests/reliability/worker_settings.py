"""Settings of the Celery worker subprocess that fault tests start, kill and restart.

The test settings, with Redis as the broker (TEST_REDIS_URL), mail to the test's
SMTP server (FAULT_SMTP_PORT), webhooks allowed to reach the test's loopback
receiver, and the sweep's "this delivery was lost" periods cut to a second so a
killed worker's work is picked up without waiting minutes. DATABASE_URL names
the pytest test database.
"""

import os

from tracker.settings_test import *  # noqa: F403

CELERY_BROKER_URL = os.environ["TEST_REDIS_URL"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("FAULT_SMTP_PORT", "25"))
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
EMAIL_TIMEOUT = 30

WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
WEBHOOKS_TIMEOUT_SECONDS = 30

DIGESTS_LEASE_SECONDS = 1
DIGESTS_STALE_PENDING_SECONDS = 1
WEBHOOKS_LOST_DISPATCH_SECONDS = 1
