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


@contextlib.contextmanager
def gunicorn(*, workers: int = 2, args: tuple[str, ...] = (),
             env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the server's base URL once it answers `/`; stop it on the way out."""
    port = free_port()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings_test",
                   "DATABASE_URL": current_database_url(), "API_ANON_RATE": "1000000/minute",
                   "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "tracker.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *args],
        cwd=ROOT, env=environment,
    )
    base = f"http://127.0.0.1:{port}"

    def answering():
        assert server.poll() is None, "gunicorn exited"
        try:
            return requests.get(f"{base}/", timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):  # still booting (a loaded machine is slow)
            return False

    try:
        wait_for(answering, timeout=30, interval=0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
