"""Editors write developments and claims through the API: If-Match, messages, field errors."""

import pytest

from claims.models import Claim
from events import services
from events.models import Development
from record.models import Revision
from tests.factories import make_actor, make_claim, make_development, make_story, make_user, token_client

NEW_DEVELOPMENT = {
    "title": "Ceasefire agreed", "kind": "ceasefire", "occurred_at": "2023-09-20T12:00:00Z",
    "message": "Reported by both sides",
}


def _etag(client, url):
    return client.get(url)["ETag"]


def test_an_editor_creates_a_development_in_one_revision(editor_api, db):
    story = make_story()
    response = editor_api.post("/api/developments/", {**NEW_DEVELOPMENT, "story": story.slug},
                               format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1 and body["story"] == story.slug
    assert response["ETag"] == f'"{story.slug}/development-{body["id"]}-v1"'
    revision = Revision.objects.order_by("-id").first()
    assert (revision.message, revision.kind) == ("Reported by both sides", "created")


def test_an_edit_with_the_current_etag_is_a_new_version_with_its_kind(editor_api, db, settings):
    settings.REVIEW_CORRECTIONS = False  # the review rule off: published at once (drafts.review)
    development = make_development(title="Shelling reported")
    url = f"/api/developments/{development.id}/"
    response = editor_api.patch(
        url, {"title": "Shelling of Stepanakert", "message": "Town named", "kind": "correction",
              "minor": False}, format="json", HTTP_IF_MATCH=_etag(editor_api, url),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response["ETag"] == f'"{development.story.slug}/development-{development.id}-v2"'
    assert Revision.objects.order_by("-id").first().kind == "correction"


def test_an_edit_can_change_the_developments_own_kind(editor_api, db):
    development = make_development(kind="statement")
    url = f"/api/developments/{development.id}/"
    response = editor_api.patch(url, {"development_kind": "accusation", "message": "Reclassified"},
                                format="json", HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.json()["kind"] == "accusation"


def test_an_edit_without_if_match_is_428_and_writes_nothing(editor_api, db):
    development = make_development()
    response = editor_api.patch(f"/api/developments/{development.id}/",
                                {"title": "X", "message": "m"}, format="json")
    assert response.status_code == 428
    assert Development.objects.get(pk=development.pk).version == 1


def test_an_edit_based_on_a_stale_version_is_412_and_writes_nothing(editor_api, db):
    development = make_development()
    url = f"/api/developments/{development.id}/"
    stale = _etag(editor_api, url)
    editor_api.patch(url, {"title": "First", "message": "m"}, format="json", HTTP_IF_MATCH=stale)
    response = editor_api.patch(url, {"title": "Second", "message": "m"}, format="json",
                                HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["current_version"] == 2
    assert response["ETag"] == f'"{development.story.slug}/development-{development.id}-v2"'
    assert Development.objects.get(pk=development.pk).title == "First"


def test_an_edit_based_on_the_story_s_old_slug_is_412_and_the_new_tag_matches(editor_api, db):
    development = make_development()
    url = f"/api/developments/{development.id}/"
    before = _etag(editor_api, url)
    services.story_update(author=make_user(), story=development.story, base_version=1,
                          message="Shorter address", changes={"slug": "renamed"})
    edit = {"title": "Reworded", "message": "m"}
    assert editor_api.patch(url, edit, format="json", HTTP_IF_MATCH=before).status_code == 412
    assert editor_api.patch(url, edit, format="json",
                            HTTP_IF_MATCH=_etag(editor_api, url)).status_code == 200


def test_a_weak_etag_never_matches_if_match(editor_api, db):
    url = f"/api/developments/{make_development().id}/"
    response = editor_api.patch(url, {"title": "X", "message": "m"},
                                format="json", HTTP_IF_MATCH=f"W/{_etag(editor_api, url)}")
    assert response.status_code == 412


def test_an_edit_needs_a_message(editor_api, db):
    development = make_development()
    url = f"/api/developments/{development.id}/"
    response = editor_api.patch(url, {"title": "X", "message": "  "}, format="json",
                                HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 400
    assert list(response.json()) == ["message"]


def test_an_edit_that_changes_nothing_is_refused(editor_api, db):
    development = make_development(title="Same")
    url = f"/api/developments/{development.id}/"
    response = editor_api.patch(url, {"title": "Same", "message": "m"}, format="json",
                                HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_model_rules_come_back_as_field_errors(editor_api, db):
    story = make_story()
    response = editor_api.post("/api/developments/", {
        **NEW_DEVELOPMENT, "story": story.slug, "ended_at": "2023-09-01T00:00:00Z",
    }, format="json")
    assert response.status_code == 400
    assert "ended_at" in response.json()


def test_bad_input_gets_field_level_errors(editor_api, db):
    response = editor_api.post("/api/developments/", {
        "story": "no-such-story", "kind": "picnic", "occurred_at": "soon", "actors": [999999],
    }, format="json")
    assert response.status_code == 400
    assert {"story", "title", "kind", "occurred_at", "actors", "message"} <= set(response.json())


def test_a_retraction_needs_a_reason_and_keeps_the_development(editor_api, db, settings):
    settings.REVIEW_CORRECTIONS = False  # the review rule off: published at once (drafts.review)
    development = make_development()
    url = f"/api/developments/{development.id}/"
    etag = _etag(editor_api, url)
    assert editor_api.post(url + "retract/", {}, format="json", HTTP_IF_MATCH=etag).status_code == 400
    response = editor_api.post(url + "retract/", {"reason": "Footage was from 2020"}, format="json",
                               HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["retraction_reason"]) == (
        "retracted", "Footage was from 2020")
    assert Revision.objects.order_by("-id").first().kind == "retraction"


def test_an_editor_creates_edits_and_retracts_a_claim(editor_api, db, settings):
    settings.REVIEW_CORRECTIONS = False  # the review rule off: published at once (drafts.review)
    development = make_development()
    actor = make_actor()
    created = editor_api.post("/api/claims/", {
        "development": development.id, "actor": actor.id, "made_on": "2023-09-20",
        "paraphrase": "Says 200 died", "claim_type": "figure", "figure_low": 200,
        "figure_qualifier": "at_least", "figure_unit": "deaths", "message": "Reported",
    }, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/claims/{created.json()['id']}/"
    edited = editor_api.patch(url, {"verification": "disputed", "message": "Denied by the other side"},
                              format="json", HTTP_IF_MATCH=created["ETag"])
    assert edited.json()["verification"] == "disputed"
    retracted = editor_api.post(url + "retract/", {"reason": "Misattributed"}, format="json",
                                HTTP_IF_MATCH=edited["ETag"])
    assert retracted.json()["retracted"] is True
    assert Claim.objects.get(pk=created.json()["id"]).version == 3


def test_claim_rules_come_back_as_field_errors(editor_api, db):
    development = make_development()
    response = editor_api.post("/api/claims/", {
        "development": development.id, "actor": make_actor().id, "made_on": "2023-09-20",
        "paraphrase": "A figure", "figure_best": 5, "message": "m",
    }, format="json")
    assert response.status_code == 400
    assert {"figure_unit", "figure_qualifier"} <= set(response.json())


@pytest.mark.parametrize("method,path,body", [
    ("post", "/api/developments/", NEW_DEVELOPMENT),
    ("patch", "/api/developments/{dev}/", {"title": "X", "message": "m"}),
    ("post", "/api/developments/{dev}/retract/", {"reason": "r"}),
    ("post", "/api/claims/", {"message": "m"}),
    ("patch", "/api/claims/{claim}/", {"paraphrase": "X", "message": "m"}),
    ("post", "/api/claims/{claim}/retract/", {"reason": "r"}),
])
def test_anonymous_writes_are_401_and_reader_writes_403(api, db, method, path, body):
    claim = make_claim()
    url = path.format(dev=claim.development_id, claim=claim.id)
    before = Revision.objects.count()
    anonymous = getattr(api, method)(url, body, format="json", HTTP_IF_MATCH="*")
    reader = getattr(token_client(make_user()), method)(url, body, format="json", HTTP_IF_MATCH="*")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert reader.status_code == 403
    assert Revision.objects.count() == before


def test_a_staff_user_with_the_model_permission_may_write(db):
    from django.contrib.auth.models import Permission

    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="add_development"))
    response = token_client(user).post("/api/developments/",
                                       {**NEW_DEVELOPMENT, "story": make_story().slug}, format="json")
    assert response.status_code == 201


def test_items_cannot_be_deleted_or_replaced(editor_api, db):
    development = make_development()
    url = f"/api/developments/{development.id}/"
    assert editor_api.delete(url).status_code == 405
    assert editor_api.put(url, {}, format="json").status_code == 405
