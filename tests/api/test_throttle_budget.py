"""The anonymous budget with a Redis cache: counted in each process, reconciled in batches, shared."""

from __future__ import annotations

import time

import pytest
import redis
from django.db import connections  # noqa: F401 (a skipif condition reads it)

from api.throttling import LocalBudgets
from tests.broker import redis_url
from tests.queries import count_redis_round_trips

KEY = "throttle_anon_198.51.100.7"


@pytest.fixture
def shared(settings):
    settings.API_THROTTLE_RECONCILE_SECONDS = 60  # only a spent tenth reconciles during a test
    client = redis.Redis.from_url(redis_url())
    client.ping()  # connected beforehand: the counts below are the budget's commands only
    yield client
    client.delete(*client.keys("*throttle:budget:*") or ["-"])


def _spend(budgets, client, limit, times=1):
    return [budgets.allow(client, KEY, limit, 60, time.time()) for _ in range(times)]


def test_a_request_costs_no_round_trip_until_a_tenth_of_the_budget_is_spent(shared):
    budgets = LocalBudgets()
    with count_redis_round_trips() as sent:
        assert all(_spend(budgets, shared, limit=1000, times=99))
    assert sent == []
    with count_redis_round_trips() as sent:
        _spend(budgets, shared, limit=1000)
    assert len(sent) == 1  # the 100th: every client's counts in one pipeline


def test_one_process_refuses_at_the_limit(shared):
    budgets = LocalBudgets()
    assert _spend(budgets, shared, limit=20, times=21) == [True] * 20 + [False]


def test_two_processes_share_one_budget_overshooting_by_at_most_a_tenth_each(shared):
    one, other = LocalBudgets(), LocalBudgets()
    admitted = sum(_spend(budgets, shared, limit=100)[0] for _ in range(150) for budgets in (one, other))
    assert 100 <= admitted <= 100 + 10


@pytest.mark.skipif("connections['default'].vendor != 'postgresql'")
def test_the_change_feed_refuses_a_client_over_budget_even_from_memory(client, listening_on_redis,
                                                                      monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    from tests.api.test_change_feed_hot_path import URL

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_while_redis_is_down_each_process_still_counts_and_refuses_at_the_limit():
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from tests.ports import free_port

    # One attempt per reconciliation: the test is about the outage, not redis-py's retries.
    unreachable = redis.Redis(port=free_port(), socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))
    budgets = LocalBudgets()
    assert _spend(budgets, unreachable, limit=20, times=21) == [True] * 20 + [False]
