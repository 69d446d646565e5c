"""Fixtures for digest tests: a real Celery worker on Redis and a real SMTP server.

`celery_redis_worker` runs celery's test worker (solo pool, in a thread) against
the Redis named by TEST_REDIS_URL, with eager mode off; tests that use it need
`django_db(transaction=True)` because the worker has its own DB connection.
`smtp_server` runs aiosmtpd on a free local port and points Django's SMTP
backend at it; `smtp_server.messages` holds what it received, and
`fail_next`/`refusal` make it refuse sends (451 or 550).
"""

from __future__ import annotations

import os
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from kombu import pools

from tracker.celery import app as celery_app

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/1"


@pytest.fixture
def celery_redis_worker(settings):
    """A real Celery worker consuming from Redis for the duration of one test."""
    from celery.contrib.testing.worker import start_worker

    broker = os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    saved = {key: celery_app.conf[key] for key in
             ("broker_url", "result_backend", "task_always_eager", "task_eager_propagates")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=broker, result_backend=broker, task_always_eager=False,
                           task_eager_propagates=False)
    _reset_connections()
    celery_app.control.purge()  # messages left by an earlier, interrupted run
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False,
                          shutdown_timeout=20.0) as worker:
            yield worker
    finally:
        celery_app.conf.update(saved)
        _reset_connections()


def _reset_connections() -> None:
    # The app caches its broker connection pool (kombu keeps a registry of them too);
    # a new broker URL needs fresh pools.
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


TRY_LATER = "451 4.3.0 Try again later (refused on purpose by the test)"


class _Recorder:
    """aiosmtpd handler that keeps each message; `fail_next` refuses that many sends.

    A refused send is answered with `refusal` at DATA: a temporary 451 unless a
    test sets another reply (a permanent "550 5.1.1 ...", say).
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.fail_next = 0
        self.refused = 0
        self.refusal = TRY_LATER

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.fail_next > 0:
            self.fail_next -= 1
            self.refused += 1
            return self.refusal
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    recorder = _Recorder()
    # aiosmtpd checks readiness by connecting to its port, so it needs a real number.
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
        yield recorder
    finally:
        controller.stop()
