"""Counting the queries (and Redis round trips) a request runs, for the query-budget tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from redis.connection import AbstractConnection


def count_queries(client, url: str) -> int:
    """Queries run to answer a GET of `url` (which must succeed), from an empty cache."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@contextlib.contextmanager
def count_redis_round_trips() -> Iterator[list]:
    """Every command (or pipeline) any redis-py client sends meanwhile: one entry per round trip."""
    sent: list = []
    original = AbstractConnection.send_packed_command

    def send(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    AbstractConnection.send_packed_command = send
    try:
        yield sent
    finally:
        AbstractConnection.send_packed_command = original
