"""Public reads tell a shared cache how long to keep them and under which keys; private ones refuse it."""

from __future__ import annotations

import pytest

from tests.factories import make_development


@pytest.fixture
def development(db):
    return make_development()


def test_a_story_page_may_be_kept_by_the_edge_for_s_maxage(client, development, settings):
    settings.EDGE_S_MAXAGE = 123
    response = client.get(f"/stories/{development.story.slug}/")
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=123, ")
    assert "stale-while-revalidate=" in response["Cache-Control"]
    assert "stale-if-error=" in response["Cache-Control"]


def test_a_story_page_names_its_story_and_the_shared_items_it_shows(client, development):
    keys = client.get(f"/stories/{development.story.slug}/")["xkey"].split()
    assert f"story-{development.story_id}" in keys and "actors" in keys


def test_a_development_page_names_its_story_and_itself(client, development):
    response = client.get(f"/stories/{development.story.slug}/developments/{development.id}/")
    assert {f"story-{development.story_id}", f"development-{development.id}"} <= set(response["xkey"].split())


@pytest.mark.parametrize("suffix", ["feed.atom", "feed.json", "timeline.json", "changes/"])
def test_feeds_and_the_changelog_name_their_story(client, development, suffix):
    response = client.get(f"/stories/{development.story.slug}/{suffix}")
    assert response["xkey"] == f"story-{development.story_id}"
    assert "s-maxage=" in response["Cache-Control"]


def test_a_cached_copy_of_a_page_keeps_its_keys(client, development):
    url = f"/stories/{development.story.slug}/"
    assert client.get(url)["xkey"] == client.get(url)["xkey"]


@pytest.mark.parametrize("path, key", [("/", "stories"), ("/api/stories/", "stories"),
                                       ("/api/developments/", "developments"), ("/api/changes/", "changes")])
def test_lists_name_their_list(client, development, path, key):
    assert client.get(path)["xkey"] == key


def test_an_api_item_names_itself(client, development):
    assert client.get(f"/api/developments/{development.id}/")["xkey"] == f"development-{development.id}"
    assert client.get(f"/api/stories/{development.story.slug}/")["xkey"] == f"story-{development.story_id}"


def test_a_304_may_be_kept_by_the_edge_too(client, development):
    url = f"/stories/{development.story.slug}/feed.atom"
    response = client.get(url, HTTP_IF_NONE_MATCH=client.get(url)["ETag"])
    assert response.status_code == 304 and "s-maxage=" in response["Cache-Control"]


def test_a_signed_in_reader_gets_a_private_page(client, development, editor):
    client.force_login(editor)
    response = client.get(f"/stories/{development.story.slug}/")
    assert response["Cache-Control"] == "private, no-store" and "xkey" not in response


def test_an_api_read_with_credentials_is_private(client, development):
    response = client.get("/api/developments/", HTTP_AUTHORIZATION="Token nope")
    assert response["Cache-Control"] == "private, no-store"


def test_the_desk_is_private(client, db):
    assert client.get("/admin/login/")["Cache-Control"] == "private, no-store"
