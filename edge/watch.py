"""Each process's copy of the latest revision id, kept current by PostgreSQL LISTEN/NOTIFY.

A read of it is a memory read: no SQL, no Redis. record's trigger
(record/migrations/0007_revision_notify.py) NOTIFYs `record_revision` with the
newest id inside the transaction that appends revisions; PostgreSQL delivers it
when, and only if, that transaction commits, in commit order. One daemon thread
per process (started on first use, again in a forked child) holds its own
connection, LISTENs, reads `max(id)` once listening (so nothing committed
before is missed), raises its copy with each notification, and reads `max(id)`
again every EDGE_LATEST_RESYNC_SECONDS. The copy is only ever raised.

Bounded staleness (docs/guarantees.md): a commit is seen when its notification
arrives (milliseconds); one missed for any reason at the next re-read, within
EDGE_LATEST_RESYNC_SECONDS. The copy is trusted only while the listener proves
itself: from the moment its connection fails until it listens again, and once
it has neither heard nor re-read for 3 x EDGE_LATEST_RESYNC_SECONDS (a hung
connection), `known()` answers None and edge.latest reads the slower way
(Redis, then the database). It is never ahead of the database. SQLite has no
LISTEN/NOTIFY: no thread, `known()` is always None.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import psycopg
from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

CHANNEL = "record_revision"  # written out in record/migrations/0007_revision_notify.py
APPLICATION_NAME = "edge-latest-listener"  # how its connection shows in pg_stat_activity
_WAKE_SECONDS = 0.25  # how soon stop() is heard
_MAX_ID = "SELECT COALESCE(max(id), 0) FROM record_revision"


class Watcher:
    """A listener thread and the latest revision id it has heard of."""

    def __init__(self, connect_kwargs: dict, resync_seconds: float, channel: str = CHANNEL) -> None:
        self._connect_kwargs = {"application_name": APPLICATION_NAME, **connect_kwargs}
        self.resync_seconds = resync_seconds
        self.channel = channel
        self._value = 0
        self._lock = threading.Lock()
        self._trusted_until = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=APPLICATION_NAME, daemon=True)

    @classmethod
    def for_database(cls, alias: str = "default", **options) -> Watcher:
        # Django's own connection parameters (OPTIONS such as sslmode included), on a connection of its own.
        kwargs = {"connect_timeout": 5, **connections[alias].get_connection_params(), "autocommit": True}
        options.setdefault("resync_seconds", settings.EDGE_LATEST_RESYNC_SECONDS)
        return cls(kwargs, **options)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.resync_seconds + 5)

    def known(self) -> int | None:
        """The latest revision id, or None while the listener cannot vouch for it."""
        return self._value if self._trusted_until > time.monotonic() else None

    def raise_to(self, revision_id: int) -> None:
        with self._lock:
            self._value = max(self._value, revision_id)

    def _vouch(self) -> None:
        self._trusted_until = time.monotonic() + 3 * self.resync_seconds

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # noqa: BLE001 (whatever stops it, readers stop trusting it)
                log.warning("Latest-revision listener lost, reading the slower way until it is back: %s", exc)
            finally:
                self._trusted_until = 0.0  # from this moment readers ask Redis or the database
            self._stop.wait(self.resync_seconds)

    def _listen(self) -> None:
        with psycopg.connect(**self._connect_kwargs) as connection:
            connection.execute(f"LISTEN {self.channel}")
            while not self._stop.is_set():
                self.raise_to(connection.execute(_MAX_ID).fetchone()[0])
                self._vouch()
                until = time.monotonic() + self.resync_seconds
                while (left := until - time.monotonic()) > 0 and not self._stop.is_set():
                    for note in connection.notifies(timeout=min(left, _WAKE_SECONDS)):
                        self.raise_to(int(note.payload))
                        self._vouch()


_watcher: Watcher | None = None
_decided = False
_start = threading.Lock()


def _forget_after_fork() -> None:
    global _watcher, _decided
    _watcher, _decided = None, False  # the parent's thread does not exist in the child


os.register_at_fork(after_in_child=_forget_after_fork)


def watcher() -> Watcher | None:
    """This process's watcher, started on first use (None on SQLite or with EDGE_LATEST_LISTEN off)."""
    global _watcher, _decided
    if not _decided:
        with _start:
            if not _decided:
                if settings.EDGE_LATEST_LISTEN and connections["default"].vendor == "postgresql":
                    _watcher = Watcher.for_database().start()
                _decided = True
    return _watcher


def known() -> int | None:
    """The latest revision id as this process's listener knows it; None: read it the slower way."""
    current = watcher()
    return None if current is None else current.known()
