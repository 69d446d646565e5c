"""7. Live fan-out: 10,000 SSE clients on one story through Pushpin, the time from commit to each event.

gunicorn (2 workers) serves the app behind a Pushpin of our own (devsupport/pushpin.py);
an asyncio thread holds the clients (raw sockets, HTTP/1.0), the main thread
commits development edits through the services and marks each commit (an
on-commit hook registered before the revision's own, so it runs first);
publishing runs eagerly from that commit, as a worker would right after it.
Reported: p50/p99 of arrival minus commit over every (client, revision), the
Pushpin processes' memory per held connection, and how many TCP connections
gunicorn holds while the 10,000 are open (none are streams: each GRIP answer is
a short response).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import statistics
import threading
import time
from pathlib import Path

from django.db import transaction
from django.test.utils import override_settings

from devsupport.pushpin import Pushpin
from events import services as event_services
from events.models import Story
from record.selectors import latest_revision_id

from .generate import _development_fields, bench_author
from .load import Server
from .measure import Result, Side, unavailable

CLIENTS = int(os.environ.get("BENCH_LIVE_CLIENTS", "10000"))
REVISIONS = int(os.environ.get("BENCH_LIVE_REVISIONS", "20"))
TITLE = f"{CLIENTS} SSE clients on one story through Pushpin: commit -> event p99"


def _rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def _established(port: int) -> int:
    """TCP connections accepted on `port` (gunicorn's), from /proc/net/tcp."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            if state == "01" and int(local.split(":")[1], 16) == port:
                count += 1
    return count


class _Reader(asyncio.Protocol):
    """One held stream. A protocol, not a StreamReader task: each arrival is one callback, so the
    clients' own loop adds as little as it can to the 10,000 arrivals of each revision."""

    def __init__(self, crowd: Crowd) -> None:
        self.crowd = crowd
        self.head: asyncio.Future = crowd.loop.create_future()
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.crowd.request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        self.buffer += data
        if not self.head.done():
            if b"\r\n\r\n" not in self.buffer:
                return
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self.head.set_result(head)
        *blocks, self.buffer = self.buffer.split(b"\n\n")
        for block in blocks:
            if block.startswith(b"id: "):
                self.crowd.arrivals.setdefault(int(block[4:block.index(b"\n")]), []).append(now)

    def connection_lost(self, exc) -> None:
        if not self.head.done():
            self.head.set_exception(ConnectionError("closed before the response head"))


class Crowd:
    """CLIENTS readers of one stream in an asyncio loop on its own thread; arrivals[id] = [times]."""

    def __init__(self, url: str) -> None:
        self.host, port_path = url.removeprefix("http://").split(":", 1)
        port, _, path = port_path.partition("/")
        self.port, self.path = int(port), "/" + path
        self.request = (f"GET {self.path} HTTP/1.0\r\nHost: {self.host}:{self.port}\r\n"
                        "Accept: text/event-stream\r\n\r\n").encode()
        self.arrivals: dict[int, list[float]] = {}
        self.connected = 0
        self.failed = 0
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.transports: list[asyncio.Transport] = []

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._open_all(), self.loop)

    async def _open_all(self) -> None:
        gate = asyncio.Semaphore(64)  # connect in waves: each connect is one request to gunicorn
        await asyncio.gather(*(self._client(gate) for _ in range(CLIENTS)))

    async def _client(self, gate: asyncio.Semaphore) -> None:
        for attempt in range(3):  # on a loaded machine a connect can time out: try again
            transport = None
            try:
                async with gate:
                    transport, reader = await self.loop.create_connection(
                        lambda: _Reader(self), self.host, self.port)
                    head = await asyncio.wait_for(reader.head, 120)
                    if b" 200 " not in head.split(b"\r\n", 1)[0]:
                        raise ConnectionError(head[:80])
                break
            except (TimeoutError, OSError, ConnectionError):
                if transport is not None:
                    transport.close()
                if attempt == 2:
                    self.failed += 1
                    self._check_ready()
                    return
        self.transports.append(transport)
        self.connected += 1
        self._check_ready()

    def _check_ready(self) -> None:
        if self.connected + self.failed >= CLIENTS:
            self.ready.set()

    async def _close_all(self) -> None:
        for transport in self.transports:
            transport.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._close_all(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def _story() -> Story:
    author = bench_author()
    story = Story.objects.filter(slug="bench-live").first() or event_services.story_create(
        author=author, message="Live story", slug="bench-live", title="Live story", summary="-")
    if not story.developments.exists():
        event_services.development_create(author=author, story=story, message="New",
                                          **_development_fields(1, 1))
    return story


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def live_fanout(bench) -> Result:
    """Live fan-out through Pushpin: commit -> event at 10,000 held SSE connections (p99)."""
    if not shutil.which("pushpin"):
        return unavailable("live_fanout", TITLE, 1000, "pushpin is not installed (make system-deps)")
    story = _story()
    development = story.developments.first()
    key = secrets.token_hex(16)
    server = Server(env={"GRIP_SIG_KEY": key})
    pushpin = Pushpin(f"127.0.0.1:{server.port}", sig_key=key, maxconn=CLIENTS + 1000)
    crowd = None
    try:
        pushpin.start()
        idle_kb = _rss_kb(pushpin.pids())
        crowd = Crowd(f"{pushpin.url}/stories/{story.slug}/live")
        started = time.monotonic()
        crowd.start()
        # Each connect is one request to gunicorn (the backlog and the GRIP hold): ~20/s here at worst.
        crowd.ready.wait(max(600, CLIENTS / 15))
        connect_s = time.monotonic() - started
        if crowd.connected < CLIENTS * 0.99:
            return unavailable("live_fanout", TITLE, 1000, f"only {crowd.connected} of {CLIENTS} "
                               f"clients connected ({crowd.failed} failed)")
        held_kb = _rss_kb(pushpin.pids())
        gunicorn_connections = _established(server.port)
        commits: dict[int, float] = {}
        with override_settings(GRIP_URL=pushpin.publish_url, GRIP_SIG_KEY=key):
            for n in range(REVISIONS):
                marks: list[float] = []
                with transaction.atomic():
                    transaction.on_commit(lambda marks=marks: marks.append(time.monotonic()))
                    development = event_services.development_update(
                        author=bench_author(), development=development, base_version=development.version,
                        message=f"Live edit {n}", changes={"location": f"Sector {n}"},
                    )
                revision_id = latest_revision_id()  # this thread is the only writer
                commits[revision_id] = marks[0]
                _wait(lambda rid=revision_id: len(crowd.arrivals.get(rid, [])) >= crowd.connected, 10)
        latencies = sorted(arrival - commits[rid]
                           for rid in commits for arrival in crowd.arrivals.get(rid, []))
        expected = len(commits) * crowd.connected
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        per_connection_kb = (held_kb - idle_kb) / CLIENTS
        # When the first reader had each revision, and how long the rest took after it: the first is
        # the commit, the publish and Pushpin's start; the spread is the fan-out (Pushpin sending,
        # the clients' one loop reading).
        firsts = [min(crowd.arrivals[rid]) - commits[rid] for rid in commits if crowd.arrivals.get(rid)]
        spreads = [max(crowd.arrivals[rid]) - min(crowd.arrivals[rid]) for rid in commits
                   if crowd.arrivals.get(rid)]
        result = Result(
            name="live_fanout", title=TITLE, target=1000, unit="ms", ratio=p99,
            case=Side(f"p99 commit -> event over {len(latencies)} deliveries (p50 {p50:.0f} ms)",
                      round(p99, 1)),
            details={"clients": CLIENTS, "connected": crowd.connected, "revisions": len(commits),
                     "delivered": len(latencies),
                     "expected": expected, "p50_ms": round(p50, 1), "p99_ms": round(p99, 1),
                     "max_ms": round(latencies[-1] * 1000, 1), "connect_all_s": round(connect_s, 1),
                     "first_arrival_median_ms": round(statistics.median(firsts) * 1000, 1),
                     "fan_out_spread_median_ms": round(statistics.median(spreads) * 1000, 1),
                     "pushpin_rss_idle_kb": idle_kb, "pushpin_rss_held_kb": held_kb,
                     "pushpin_kb_per_connection": round(per_connection_kb, 1),
                     "gunicorn_tcp_connections_while_held": gunicorn_connections},
        )
        if len(latencies) < expected:
            result.note = f"only {len(latencies)} of {expected} deliveries arrived: the target does not hold"
            result.ratio = float("inf")
        return result
    finally:
        if crowd is not None:
            crowd.stop()
        pushpin.close()
        server.stop()
