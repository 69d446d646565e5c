"""A real gunicorn serving the running test's database on a free loopback port (sync workers unless told)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import requests

from tests.ports import free_port
from tests.reliability.fault_support import ROOT, current_database_url
from tests.waiting import wait_for


def start_gunicorn(port: int, *, workers: int = 2, args: tuple[str, ...] = (),
                   env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    """Start gunicorn on `port` with this test's database (it answers once `wait_answering` returns)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings_test",
                   "DATABASE_URL": current_database_url(), "API_ANON_RATE": "1000000/minute",
                   "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("REDIS_URL", None)
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "tracker.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *args],
        cwd=ROOT, env=environment, **popen,
    )


def wait_answering(server: subprocess.Popen, base: str) -> None:
    def answering():
        assert server.poll() is None, "gunicorn exited"
        try:
            return requests.get(f"{base}/", timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # still booting (a loaded machine is slow)
            return False

    wait_for(answering, timeout=30, interval=0.1)


@contextlib.contextmanager
def gunicorn(*, workers: int = 2, args: tuple[str, ...] = (),
             env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the server's base URL once it answers `/`; stop it on the way out."""
    port = free_port()
    server = start_gunicorn(port, workers=workers, args=args, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_answering(server, base)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
