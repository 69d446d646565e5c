"""Fixtures shared by every test package.

`celery_redis_worker` runs celery's test worker (solo pool, in a thread) against
the Redis named by TEST_REDIS_URL, with eager mode off; tests that use it need
`django_db(transaction=True)` because the worker has its own DB connection.
`smtp_server` runs aiosmtpd on a free local port and points Django's SMTP
backend at it; `smtp_server.messages` holds what it received, and
`fail_next`/`refusal` make it refuse sends (451 or 550).
"""

import pytest

from tests.broker import celery_broker, redis_url
from tests.browser import browser, tab  # noqa: F401 (registers the fixtures for every package)
from tests.factories import make_editor, make_user
from tests.smtp import point_django_at, running_smtp
from tracker.celery import app as celery_app


@pytest.fixture(autouse=True, scope="session")
def log_signing_key():
    """Every test run signs the log with a key of its own (production reads LOG_SIGNING_KEY)."""
    from django.conf import settings

    from publiclog.checkpoints import generate_key

    key = generate_key("tracker.test/log")
    settings.LOG_SIGNING_KEY = key.signer()
    return key


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def reader(db):
    return make_user()


@pytest.fixture
def demo_story(db):
    from demo.story import load_demo

    story, _ = load_demo()
    return story


@pytest.fixture
def celery_redis_worker(settings):
    """A real Celery worker consuming from Redis for the duration of one test."""
    from celery.contrib.testing.worker import start_worker

    broker = redis_url()
    with celery_broker(broker, settings, result_backend=broker):
        celery_app.control.purge()  # messages left by an earlier, interrupted run
        with start_worker(celery_app, pool="solo", perform_ping_check=False,
                          shutdown_timeout=20.0) as worker:
            yield worker


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, with Django's SMTP backend pointed at it."""
    with running_smtp() as (sink, port):
        point_django_at(settings, port)
        yield sink
