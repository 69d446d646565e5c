"""Tools for breaking things on purpose: a dead broker, a killable worker, gated SMTP and HTTP receivers.

`WorkerProcess` runs `celery -A tracker worker --pool=solo` as a subprocess on
the pytest test database (DATABASE_URL) and Redis (TEST_REDIS_URL), so a test
can SIGKILL it in the middle of a job and start a new one. The gated servers
hold a delivery until the test lets go, which is how a kill is made to land
mid-send. Nothing here sleeps for a fixed time: every wait polls a condition
with a deadline (`wait_for`).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import redis
from django.db import connection

from tests.broker import redis_url
from tests.digests.webhook_support import Receiver
from tests.ports import free_port
from tests.smtp import Gate, SmtpSink, running_smtp
from tests.waiting import wait_for
from tracker.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def current_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_ database)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


# --- the broker ---------------------------------------------------------------

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

    def taken(self) -> int:
        """Messages taken by a worker and not yet acknowledged (tasks ack late, after they ran)."""
        return self.client.hlen("unacked")

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

def smtp_server(gate: Gate | None = None, *, accept_first: bool = False):
    """The suite's SMTP sink, holding deliveries at `gate` (see tests.smtp)."""
    return running_smtp(SmtpSink(gate, accept_first=accept_first))


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
