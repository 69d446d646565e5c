"""5. Feeds under load: gunicorn (2 workers) and wrk (concurrency 16) against a floor view.

The floor is a minimal Django view on the same server, so the ratio measures
what the feed costs beyond Django itself. Surfaces that do not answer 200
report "not available".
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess  # noqa: S404 (runs gunicorn and wrk, fixed arguments)
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from record.selectors import latest_revision_id

from .measure import Result, Side, unavailable
from .setup import Bench

SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(url: str, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
    except OSError:
        return 0, {}


class Server:
    def __init__(self, env: dict | None = None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **(env or {})}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603
            [str(gunicorn), "tracker.wsgi:application", "--workers", "2", "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        deadline = time.monotonic() + 60
        while _status(self.base + "/bench/floor/")[0] != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url: str, headers: dict | None = None) -> dict:
    args = ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {"rps": rps, "non_2xx_3xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0,
            "p99": p99.group(1) if p99 else None}


def _result(name: str, title: str, target: float, case_label: str, case: dict, floor: dict) -> Result:
    result = Result(
        name=name, title=title, target=target, at_least=True, ratio=case["rps"] / floor["rps"],
        case=Side(f"{case_label}: {case['rps']:.0f} req/s", round(1000 / case["rps"], 3)),
        floor=Side(f"floor view: {floor['rps']:.0f} req/s", round(1000 / floor["rps"], 3)),
        details={"case": case, "floor": floor, "seconds": SECONDS, "concurrency": 16},
    )
    if case["non_2xx_3xx"] or case["socket_errors"]:
        result.note = "errors under load: the target does not hold"
        result.ratio = 0.0
    return result


LOAD = [
    ("load_feed_cached", "Atom feed under load (warm cache) vs floor view", 0.5, "feed.atom", False),
    ("load_feed_304", "Atom feed with If-None-Match (304) vs floor view", 0.8, "feed.atom", True),
    ("load_changes", "/api/changes/ under load vs floor view", 0.5, "changes", False),
    ("load_changes_304", "/api/changes/ with If-None-Match (304) vs floor view", 0.8, "changes", True),
]


def load_measures(bench: Bench) -> list[Result]:
    if not shutil.which("wrk"):
        return [unavailable(n, t, g, "wrk is not installed (make system-deps)", at_least=True)
                for n, t, g, _, _ in LOAD]
    # A real story's feed (the demo: 26 revisions of one to a few items each), and a
    # poller's change-feed page: the last 50 revisions of the log, whatever they are.
    feed_path = f"/stories/{bench.feed_story.slug}/feed.atom"
    changes_path = f"/api/changes/?after={max(0, latest_revision_id() - 50)}"
    server = Server()
    try:
        floor = wrk(server.base + "/bench/floor/")
        results = []
        for name, title, target, surface, conditional in LOAD:
            path = feed_path if surface == "feed.atom" else changes_path
            status, headers = _status(server.base + path)
            if status != 200:
                results.append(unavailable(name, title, target, f"{path} answered {status}: "
                                           "not available yet", at_least=True))
                continue
            extra = {}
            if conditional:
                etag = headers.get("ETag") or headers.get("Etag")
                if not etag:
                    results.append(unavailable(name, title, target, f"{path} sends no ETag",
                                               at_least=True))
                    continue
                extra = {"If-None-Match": etag}
            results.append(_result(name, title, target, path, wrk(server.base + path, extra), floor))
        return results
    finally:
        server.stop()
