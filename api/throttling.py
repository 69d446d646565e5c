"""The API's throttles count clients by `tracker.client.client_ip`, as every other limit does.

DRF's own `get_ident` believes a client's `X-Forwarded-For` unless NUM_PROXIES
is set, and falls back differently when the header is short: one function
decides who a client is, everywhere.

The anonymous budget costs no network round trip per request. With a Redis
cache (every process shares it) each process counts each client locally, in
fixed windows of the rate's period, and adds what it counted to the shared
count in Redis in one pipelined round trip for all its clients every
API_THROTTLE_RECONCILE_SECONDS, or sooner once one client has spent a tenth
of its budget here since: so a client is refused once the shared count it
last heard plus its local count reach the rate. Between reconciliations other
processes' requests are not yet known here: over the whole site a client may
get at most (processes - 1) x a tenth of the rate more per window than the
rate (and, a fixed window, up to twice the rate across one window's end).
While Redis is unreachable each process goes on counting alone (its counts
are added once Redis is back), and the request that tries to reconcile waits
for the Redis client's timeout: once per interval per process, not per request.
Without Redis (a local-memory cache: `make run`, the tests) the cache is this
process's memory already, and DRF's stock counting is used, exactly.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tracker.cache import UNREACHABLE, shared_redis
from tracker.client import client_ip

log = logging.getLogger(__name__)


class ClientIpMixin:
    def get_ident(self, request) -> str:
        return client_ip(request)


@dataclass
class _Spent:
    window: int
    shared: int = 0  # the site-wide count when this process last reconciled (its own included)
    local: int = 0  # counted here since
    sending: int = 0  # counted here, on its way to Redis (a reconciliation in flight)

    @property
    def known(self) -> int:
        return self.shared + self.sending + self.local


class LocalBudgets:
    """This process's counts per (client key, window), reconciled with Redis in batches."""

    def __init__(self) -> None:
        self._spent: dict[str, _Spent] = {}
        self._lock = threading.Lock()
        self._reconciled_at = time.monotonic()

    def allow(self, client, key: str, limit: int, period: int, now: float) -> bool:
        window = int(now // period)
        with self._lock:
            spent = self._spent.get(key)
            if spent is None or spent.window != window:
                spent = self._spent[key] = _Spent(window)
            if spent.known >= limit:
                return False
            spent.local += 1
            due = (time.monotonic() - self._reconciled_at >= settings.API_THROTTLE_RECONCILE_SECONDS
                   or spent.local >= max(1, limit // 10))
        if due:
            self.reconcile(client, period)
        return True

    def reconcile(self, client, period: int) -> None:
        """Add the local counts to Redis and learn the shared ones: one round trip for every client."""
        with self._lock:
            self._reconciled_at = time.monotonic()
            current = int(time.time() // period)
            self._spent = {key: spent for key, spent in self._spent.items() if spent.window >= current}
            pending = [(key, spent, spent.local) for key, spent in self._spent.items()]
            for _key, spent, count in pending:  # sent once, even by two threads reconciling at once
                spent.local, spent.sending = 0, spent.sending + count
        pipe = client.pipeline(transaction=False)
        for key, spent, count in pending:
            name = cache.make_key(f"throttle:budget:{key}:{spent.window}")
            pipe.incrby(name, count)
            pipe.expire(name, period + 60)
        try:
            totals = pipe.execute()[::2]
        except UNREACHABLE as exc:  # counting goes on here; the counts are added next time
            log.warning("API throttle counts not reconciled with Redis: %s", exc)
            totals = None
        with self._lock:
            for index, (_key, spent, count) in enumerate(pending):
                spent.sending -= count
                if totals is None:
                    spent.local += count
                else:
                    spent.shared = max(spent.shared, int(totals[index]))

    def forget(self) -> None:
        with self._lock:
            self._spent.clear()
            self._reconciled_at = time.monotonic()


budgets = LocalBudgets()


class AnonymousThrottle(ClientIpMixin, AnonRateThrottle):
    """Anonymous reads: API_ANON_RATE per client address; counted locally (see the module)."""

    def allow_request(self, request, view) -> bool:
        client = shared_redis()
        if client is None or self.rate is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        return budgets.allow(client, self.key, self.num_requests, self.duration, self.now)

    def wait(self) -> float | None:
        if shared_redis() is None:
            return super().wait()
        return self.duration - (self.now % self.duration)  # until this window ends


class PerUserThrottle(ClientIpMixin, UserRateThrottle):
    """Per signed-in user (an anonymous request, should one reach it, per client address)."""
