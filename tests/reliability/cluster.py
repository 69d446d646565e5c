"""Two of every tier on this machine, each a real process a test can SIGKILL (the scale-out test).

`Cluster` starts, on the test's database and Redis (TEST_REDIS_URL): two
gunicorn web nodes, two Pushpins that both route to both nodes (the second
target is the failover) and both get every publish (GRIP_URL with a comma),
two Varnish with the shipped VCL's director over both nodes, both purged by
every revision (EDGE_PURGE_URLS), two Celery workers and one beat
(tests/reliability/scale_settings.py). `Stream` is a reader that, when its
Pushpin goes away, reconnects to the next one with `Last-Event-ID`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from devsupport.pushpin import Pushpin
from devsupport.varnish import Varnish
from tests.broker import redis_url
from tests.gunicorn import start_gunicorn, wait_answering
from tests.live.sse import SSEReader
from tests.ports import free_port
from tests.reliability.fault_support import ROOT, WorkerProcess, current_database_url
from tests.waiting import wait_for

SETTINGS = "tests.reliability.scale_settings"
# How many of each tier: docker-compose.yml describes the same (tests/tracker/test_docker_compose.py).
TOPOLOGY = {"web": 2, "varnish": 2, "pushpin": 2, "worker": 2, "beat": 1}
SIG_KEY = "scale-out-test-grip-key"


class WebNode:
    """gunicorn in a session of its own: a kill takes the master and its workers at once."""

    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = start_gunicorn(port, env=env, start_new_session=True)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Beat:
    def __init__(self, env: dict[str, str]) -> None:
        self.dir = tempfile.mkdtemp(prefix="beat-")
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "tracker", "beat", "--loglevel=INFO",
             f"--schedule={self.dir}/schedule"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def kill_pushpin(pushpin: Pushpin) -> None:
    """SIGKILL every process of one Pushpin (its runner, condure, zurl, proxy and handler)."""
    for pid in pushpin.pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    pushpin.process.wait(timeout=10)
    pushpin.process = None


class Cluster:
    def __init__(self, *, smtp_port: int) -> None:
        self.smtp_port = smtp_port
        self.web: list[WebNode] = []
        self.pushpins: list[Pushpin] = []
        self.varnishes: list[Varnish] = []
        self.workers: list[WorkerProcess] = []
        self.beat: Beat | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": current_database_url(),
                "TEST_REDIS_URL": redis_url(), "PYTHONPATH": str(ROOT),
                "FAULT_SMTP_PORT": str(self.smtp_port), "GRIP_SIG_KEY": SIG_KEY,
                "GRIP_URL": ",".join(p.publish_url for p in self.pushpins),
                "EDGE_PURGE_URLS": ",".join(v.url for v in self.varnishes)}

    def start(self) -> Cluster:
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> Cluster:
        # Addresses first (each tier names the others), then the processes.
        ports = [free_port() for _ in range(TOPOLOGY["web"])]
        origin = " ".join(f"127.0.0.1:{port}" for port in ports)
        # Appended one by one, so a failed start stops whatever had started.
        for _ in range(TOPOLOGY["pushpin"]):
            self.pushpins.append(Pushpin(origin, sig_key=SIG_KEY).start())
        for _ in range(TOPOLOGY["varnish"]):
            self.varnishes.append(Varnish(ports))
        env = self.env()
        for port in ports:
            self.web.append(WebNode(port, env))
        for _ in range(TOPOLOGY["worker"]):
            worker = WorkerProcess(smtp_port=self.smtp_port)
            worker.env = env
            self.workers.append(worker.start())
        self.beat = Beat(env)
        for node in self.web:
            wait_answering(node.process, node.url)
        return self

    def stop(self) -> None:
        for stop in ([self.beat.stop] if self.beat else []) + [w.stop for w in self.workers] + \
                [n.stop for n in self.web] + [p.close for p in self.pushpins] + \
                [v.stop for v in self.varnishes]:
            with contextlib.suppress(Exception):
                stop()


class Stream:
    """One reader of a story's live stream that moves to the next Pushpin when its own goes away."""

    def __init__(self, base: str, path: str, last_event_id: str) -> None:
        self.path = path
        self.ids: list[int] = []
        self.reconnects = 0
        self.first_id = last_event_id
        self.reader = self._connect(base, last_event_id)

    def _connect(self, base: str, last_event_id: str) -> SSEReader:
        reader = SSEReader(base + self.path, last_event_id=last_event_id)
        wait_for(reader.head_received.is_set, timeout=15)
        assert reader.status == 200, reader.status
        return reader

    def drain(self) -> None:
        while not self.reader.events.empty():
            self.ids.append(int(self.reader.events.get().id))

    def keep_up(self, alive: list[str]) -> None:
        """Take what arrived; if the Pushpin closed the stream, reconnect to a live one from the last id."""
        self.drain()
        if self.reader.closed.is_set():
            last = str(self.ids[-1]) if self.ids else self.first_id
            self.reader.close()
            self.reader = self._connect(alive[0], last)
            self.reconnects += 1

    def close(self) -> None:
        self.reader.close()
