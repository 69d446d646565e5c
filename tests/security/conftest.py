"""Fixtures of the security tests: a clean cache (rate-limit counters, page cache) per test."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
