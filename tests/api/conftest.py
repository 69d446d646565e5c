"""API test fixtures: an anonymous client, an editor's and a reader's token clients."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api import throttling
from api.changefeed import kept_pages
from edge import watch
from record.selectors import latest_revision_id
from tests.factories import make_development, token_client
from tests.waiting import wait_for
from tracker.settings import redis_cache


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


@pytest.fixture
def listening_on_redis(transactional_db, settings, monkeypatch):
    """As in production: the cache on Redis, this process's listener on, budgets counted here."""
    from tests.broker import redis_url

    settings.CACHES = redis_cache(redis_url())
    settings.API_THROTTLE_RECONCILE_SECONDS = 60
    cache.clear()
    kept_pages.clear()
    throttling.budgets.forget()
    watcher = watch.Watcher.for_database(resync_seconds=5).start()
    monkeypatch.setattr(watch, "_watcher", watcher)
    monkeypatch.setattr(watch, "_decided", True)
    make_development()
    wait_for(lambda: watcher.known() == latest_revision_id(), timeout=10)
    yield
    watcher.stop()
    kept_pages.clear()
    throttling.budgets.forget()
    cache.clear()
