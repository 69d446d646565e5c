"""Editors create and edit actors and sources through the API (If-Match); sources carry their archive."""

import pytest

from archive import services as archive_services
from events.models import Actor, Source
from tests.archive.origin import article, captured_source, origin_allowed
from tests.factories import make_actor, make_source, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(editor):
    return token_client(editor)


def test_an_editor_creates_a_source_and_gets_its_etag(api):
    response = api.post("/api/sources/", {"outlet": "Example News", "title": "Report",
                                          "url": "https://news.example.org/a", "message": "Cited"},
                        format="json")
    assert response.status_code == 201, response.content
    source = Source.objects.get(pk=response.json()["id"])
    assert response["ETag"] == f'"source-{source.pk}-v1"'
    assert response.json()["archive"] == {"captured_at": None, "sha256": "", "status": "",
                                          "archive_url": None, "warc_url": None, "checked_at": None}


def test_an_edit_needs_the_current_etag(api):
    source = make_source()
    url = f"/api/sources/{source.pk}/"
    body = {"title": "Better title", "message": "Clearer", "kind": "clarification"}
    assert api.patch(url, body, format="json").status_code == 428
    etag = api.get(url)["ETag"]
    assert api.patch(url, body, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert api.patch(url, {**body, "title": "Again"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert Source.objects.get(pk=source.pk).title == "Better title"


def test_the_archive_fields_cannot_be_written_through_the_api(api):
    source = make_source()
    url = f"/api/sources/{source.pk}/"
    response = api.patch(url, {"archive_sha256": "0" * 64, "archive_status": "gone", "title": "T",
                               "message": "Try"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 200
    assert Source.objects.get(pk=source.pk).archive_sha256 == ""


def test_an_editor_creates_and_edits_an_actor(api, settings):
    settings.REVIEW_CORRECTIONS = False  # the review rule off: published at once (drafts.review)
    response = api.post("/api/actors/", {"name": "Ministry of Defence", "kind": "ministry",
                                         "message": "Named in reports"}, format="json")
    assert response.status_code == 201, response.content
    url = f"/api/actors/{response.json()['id']}/"
    edited = api.patch(url, {"actor_kind": "military", "role": "Spokesman", "message": "Fix",
                             "kind": "correction"}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert edited.status_code == 200, edited.content
    actor = Actor.objects.get(pk=response.json()["id"])
    assert (actor.kind, actor.role, actor.version) == ("military", "Spokesman", 2)
    assert actor.history.get(version=2).revision.kind == "correction"


def test_an_actor_cannot_be_its_own_affiliation(api):
    actor = make_actor()
    url = f"/api/actors/{actor.pk}/"
    response = api.patch(url, {"affiliation": actor.pk, "message": "Oops"}, format="json",
                         HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 400
    assert "affiliation" in response.json()


@pytest.fixture
def captured(settings):
    with origin_allowed(settings) as site:
        yield site, captured_source(site, "/report", article("Ten soldiers died."))


def test_a_captured_source_carries_its_archive_and_capture_history(api, captured):
    _, source = captured
    data = api.get(f"/api/sources/{source.pk}/").json()
    archive = data["archive"]
    assert archive["status"] == "archived" and archive["sha256"] == source.archive_sha256
    assert archive["archive_url"].endswith(f"/sources/{source.pk}/archive/")
    assert archive["warc_url"].endswith(f"/sources/{source.pk}/archive.warc.gz")
    assert archive["checked_at"] == archive["captured_at"]
    captures = api.get(f"/api/sources/{source.pk}/captures/").json()
    assert [c["outcome"] for c in captures] == ["captured"]
    assert captures[0]["sha256"] == source.archive_sha256


def test_a_check_refreshes_the_read_but_not_what_if_match_accepts(api, captured):
    _, source = captured
    url = f"/api/sources/{source.pk}/"
    etag = api.get(url)["ETag"]
    archive_services.source_check(source.pk)  # unchanged: no revision, a new checked_at
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    response = api.patch(url, {"title": "Renamed", "message": "Tidy"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
