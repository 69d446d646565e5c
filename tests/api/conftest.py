"""API test fixtures: an anonymous client, an editor's and a reader's token clients."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import token_client


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Anonymous throttling counts requests in the cache; tests must not share a budget.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(db):
    return APIClient()


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def reader_api(reader):
    return token_client(reader)
