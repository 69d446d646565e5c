"""Tools for breaking things on purpose: a dead broker, a killable worker, gated SMTP and HTTP receivers.

`WorkerProcess` runs `celery -A tracker worker --pool=solo` as a subprocess on
the pytest test database (DATABASE_URL) and Redis (TEST_REDIS_URL), so a test
can SIGKILL it in the middle of a job and start a new one. The gated servers
hold a delivery until the test lets go, which is how a kill is made to land
mid-send. Nothing here sleeps for a fixed time: every wait polls a condition
with a deadline (`wait_for`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import redis
from aiosmtpd.controller import Controller
from django.db import connection
from kombu import pools

from tests.digests.conftest import DEFAULT_TEST_REDIS_URL
from tests.digests.webhook_support import Receiver
from tests.waiting import wait_for
from tracker.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def current_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_ database)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


# --- the broker ---------------------------------------------------------------

def _reset_broker_connections() -> None:
    # The app caches its connection and producer pools (kombu keeps a registry too).
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str, settings) -> Iterator[None]:
    """Send this process's tasks to `url` (not eagerly) until the block ends."""
    keys = ("broker_url", "result_backend", "task_always_eager", "task_eager_propagates")
    saved = {key: celery_app.conf[key] for key in keys}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=url, result_backend=None, task_always_eager=False,
                           task_eager_propagates=False)
    _reset_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _reset_broker_connections()


def dead_broker_url() -> str:
    """A Redis URL on a loopback port where nothing listens: every connection is refused."""
    return f"redis://127.0.0.1:{free_port()}/0"


class Broker:
    """The test's Redis database seen from outside Celery: queue depth, unacknowledged messages."""

    def __init__(self) -> None:
        self.client = redis.Redis.from_url(redis_url())
        self.queue = celery_app.conf.task_default_queue

    def flush(self) -> None:
        self.client.flushdb()  # our own Redis db number (TEST_REDIS_URL), never CI's or another's

    def redeliver_unacked(self) -> int:
        """Requeue what a dead worker had taken, as Redis does once the visibility timeout passes."""
        taken = self.client.hgetall("unacked")
        for payload in taken.values():
            message, _exchange, _routing_key = json.loads(payload)
            self.client.lpush(self.queue, json.dumps(message))
        self.client.delete("unacked", "unacked_index")
        return len(taken)

    def idle(self) -> bool:
        """Nothing queued and nothing taken but unacknowledged (tasks ack late, after they ran)."""
        return self.client.llen(self.queue) == 0 and self.client.hlen("unacked") == 0


# --- the worker ---------------------------------------------------------------

class WorkerProcess:
    """`celery -A tracker worker --pool=solo` in a subprocess, on this test's database."""

    def __init__(self, *, smtp_port: int | None = None) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "DATABASE_URL": current_database_url(),
            "TEST_REDIS_URL": redis_url(),
            "PYTHONPATH": str(ROOT),
            "FAULT_SMTP_PORT": str(smtp_port or 25),
        }
        self.env.pop("REDIS_URL", None)
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())

    def start(self) -> WorkerProcess:
        celery = Path(sys.executable).with_name("celery")
        self.process = subprocess.Popen(
            [str(celery), "-A", "tracker", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        wait_for(lambda: b"ready." in self.output() or self.process.poll() is not None, timeout=30)
        assert self.process.poll() is None, self.output().decode(errors="replace")
        return self

    def output(self) -> bytes:
        self.log.seek(0)
        return self.log.read()

    def kill(self) -> None:
        """SIGKILL: no shutdown, no ack, no rollback but the one PostgreSQL does for a lost client."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_until_idle(broker: Broker, *, timeout: float = 30.0) -> None:
    """The worker has run everything queued, including what those tasks queued in turn."""
    wait_for(lambda: broker.idle() and broker.idle(), timeout=timeout)


# --- gated servers ------------------------------------------------------------

class Gate:
    """Holds the next `hold` deliveries until `release()`; `held` is set once one is waiting."""

    def __init__(self, hold: int = 0) -> None:
        self.hold = hold
        self.held = threading.Event()
        self.released = threading.Event()

    def should_hold(self) -> bool:
        if self.hold <= 0:
            return False
        self.hold -= 1
        return True

    def release(self) -> None:
        self.released.set()


class GatedSmtp:
    """aiosmtpd handler: keeps each accepted message; a held DATA waits at the gate.

    `accept_first=False`: the server decides after the gate opens, and a client
    that went away meanwhile gets nothing accepted ("killed before the server
    accepted"). `accept_first=True`: the server has taken the message (queued it
    for delivery) before the gate, and only its 250 reply waits ("killed after
    the server accepted, before the sender recorded it").
    """

    def __init__(self, gate: Gate, *, accept_first: bool = False) -> None:
        self.gate = gate
        self.accept_first = accept_first
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        if not self.gate.should_hold():
            self.messages.append(message)
            return "250 OK"
        if self.accept_first:
            self.messages.append(message)
        self.gate.held.set()
        while not self.gate.released.is_set():
            await asyncio.sleep(0.02)  # yields to the loop, which notices a dropped client
        if not self.accept_first:
            if server.transport is None or server.transport.is_closing():
                return "451 4.3.0 The client went away before the message was accepted"
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@contextlib.contextmanager
def smtp_server(gate: Gate | None = None, *, accept_first: bool = False) -> Iterator[tuple[GatedSmtp, int]]:
    handler = GatedSmtp(gate or Gate(), accept_first=accept_first)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.gate.release()
        controller.stop()


class GatedReceiver(Receiver):
    """The webhook receiver of the delivery tests; a request the gate holds waits before its answer."""

    def __init__(self, gate: Gate | None = None) -> None:
        self.gate = gate or Gate()
        super().__init__()

    def before_answering(self) -> None:
        with self._lock:
            hold = self.gate.should_hold()
        if hold:
            self.gate.held.set()
            self.gate.released.wait(timeout=60)

    def __exit__(self, *exc) -> None:
        self.gate.release()
        super().__exit__(*exc)
