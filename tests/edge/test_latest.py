"""The latest revision kept in Redis: a 304 of a feed or a change-feed page runs no SQL."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from edge import latest
from tests.factories import make_development
from tracker.settings import redis_cache


@pytest.fixture
def redis_cache_on(settings):
    from tests.broker import redis_url

    settings.CACHES = redis_cache(redis_url())
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def story(db, redis_cache_on, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_development().story


def _conditional(client, url):
    return client.get(url, HTTP_IF_NONE_MATCH=client.get(url)["ETag"])


def test_a_304_of_the_atom_feed_runs_no_query(client, story, django_assert_num_queries):
    url = f"/stories/{story.slug}/feed.atom"
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_304_of_a_change_feed_page_runs_no_query(client, story, django_assert_num_queries):
    etag = client.get("/api/changes/?after=0")["ETag"]
    with django_assert_num_queries(0):
        assert client.get("/api/changes/?after=0", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_304_of_a_story_page_runs_no_query(client, story, django_assert_num_queries):
    url = f"/stories/{story.slug}/"
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_after_a_commit_the_old_etag_gets_the_new_body(client, story, django_capture_on_commit_callbacks):
    url = f"/stories/{story.slug}/feed.atom"
    etag = client.get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        make_development(story=story, title="Later news")
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Later news" in response.content.decode()


def test_the_value_is_never_lowered_by_a_commit_noted_late(redis_cache_on, story):
    newest = latest.latest_revision_id()
    latest.note_committed(newest - 1, story.slug, None)
    assert latest.latest_revision_id() == newest


def test_without_a_value_the_database_answers(client, story):
    cache.clear()
    assert latest.latest_revision_id() > 0
    assert _conditional(client, f"/stories/{story.slug}/feed.atom").status_code == 304


def test_while_redis_is_down_a_304_comes_from_the_database(client, db, settings):
    from tests.ports import free_port

    story = make_development().story
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")
    assert _conditional(client, f"/stories/{story.slug}/feed.atom").status_code == 304
    assert _conditional(client, "/api/changes/").status_code == 304
