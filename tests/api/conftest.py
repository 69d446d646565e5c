"""API test fixtures: an anonymous client, an editor's and a reader's token clients."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Anonymous throttling counts requests in the cache; tests must not share a budget.
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def api(db):
    return APIClient()


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def reader_api(reader):
    return token_client(reader)
