"""Every read carries an ETag; If-None-Match with it answers 304 until something changes."""

import pytest
from rest_framework.throttling import AnonRateThrottle

from events import services
from tests.factories import make_development, make_editor


@pytest.mark.parametrize("url", [
    "/api/stories/", "/api/stories/karabakh-2023/", "/api/developments/?story=karabakh-2023",
    "/api/claims/", "/api/actors/", "/api/sources/", "/api/changes/?after=0",
    "/api/developments/?as_of=2023-09-20T00:00:00Z",
])
def test_every_read_answers_304_to_its_own_etag(api, demo_story, url):
    first = api.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_development_read_is_tagged_with_its_version(api, db):
    development = make_development()
    url = f"/api/developments/{development.id}/"
    tag = f'"{development.story.slug}/development-{development.id}-v1"'
    assert api.get(url)["ETag"] == tag
    assert api.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    versions_tag = api.get(f"{url}versions/")["ETag"]
    assert api.get(f"{url}versions/", HTTP_IF_NONE_MATCH=versions_tag).status_code == 304


def test_a_change_makes_the_old_etag_stale(api, db):
    development = make_development()
    list_tag = api.get("/api/developments/")["ETag"]
    item_tag = api.get(f"/api/developments/{development.id}/")["ETag"]
    services.development_update(author=make_editor(), development=development, base_version=1,
                                message="m", changes={"title": "Changed"})
    assert api.get("/api/developments/", HTTP_IF_NONE_MATCH=list_tag).status_code == 200
    fresh = api.get(f"/api/developments/{development.id}/", HTTP_IF_NONE_MATCH=item_tag)
    assert fresh.status_code == 200 and fresh.json()["title"] == "Changed"


def test_a_development_s_etag_changes_when_its_story_s_slug_does(api, db):
    development = make_development()
    url = f"/api/developments/{development.id}/"
    before = api.get(url)["ETag"]
    services.story_update(author=make_editor(), story=development.story, base_version=1,
                          message="Shorter address", changes={"slug": "renamed"})
    fresh = api.get(url, HTTP_IF_NONE_MATCH=before)
    assert fresh.status_code == 200 and fresh.json()["story"] == "renamed"
    assert fresh["ETag"] != before


def test_anonymous_reads_are_throttled(api, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [api.get("/api/stories/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
