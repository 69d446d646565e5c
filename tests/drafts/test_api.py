"""Drafts through the API: every transition, every refusal, nothing public before publishing."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.common import item_etag
from drafts.models import Draft, DraftRevision
from events.models import Development
from record.models import Revision
from tests.factories import make_development, make_editor, make_reviewer, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def token_client(user) -> APIClient:
    """A client with `user`'s token (one token per user, however often it is asked for)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _edit_draft(client, development, **body):
    body = {"title": "Shelling of Stepanakert", "message": "Town named", "kind": "correction",
            "publish": False, **body}
    return client.patch(f"/api/developments/{development.pk}/", body, format="json",
                        HTTP_IF_MATCH=item_etag(development))


@pytest.fixture
def author(db):
    return make_editor()


@pytest.fixture
def reviewer(db):
    return make_reviewer()


@pytest.fixture
def development(author):
    return make_development(author=author, title="Shelling reported")


def test_an_edit_with_publish_false_is_a_202_draft_and_writes_no_revision(author, development):
    revisions = Revision.objects.count()
    response = _edit_draft(token_client(author), development)
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["state"] == "draft" and body["url"].endswith(f"/api/drafts/{body['id']}/")
    assert body["fields"] == {"title": "Shelling of Stepanakert"} and body["base_version"] == 1
    assert Revision.objects.count() == revisions
    assert Development.objects.get(pk=development.pk).title == "Shelling reported"


def test_a_create_with_publish_false_is_a_202_draft_of_a_new_item(author):
    story = make_story(author=author)
    response = token_client(author).post("/api/developments/", {
        "story": story.slug, "title": "Talks in Yevlakh", "kind": "negotiation",
        "occurred_at": "2023-09-21T10:00:00Z", "message": "Reported", "publish": False,
    }, format="json")
    assert response.status_code == 202, response.json()
    assert response.json()["item_id"] is None and response.json()["kind"] == "created"
    assert not Development.objects.filter(title="Talks in Yevlakh").exists()


def test_an_update_draft_is_published_directly_by_an_editor_as_one_revision(author, development):
    client = token_client(author)
    draft = _edit_draft(client, development, kind="update").json()
    before = Revision.objects.count()
    response = client.post(f"/api/drafts/{draft['id']}/publish/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["draft"]["state"] == "published" and body["item"]["title"] == "Shelling of Stepanakert"
    assert Revision.objects.count() == before + 1
    revision = Revision.objects.get(pk=body["revision"])
    assert (revision.author, revision.kind, revision.message) == (author, "update", "Town named")
    assert DraftRevision.objects.get(revision=revision).drafted_by == author


def test_a_new_item_draft_publishes_the_item(author):
    story = make_story(author=author)
    client = token_client(author)
    draft = client.post("/api/developments/", {
        "story": story.slug, "title": "Talks in Yevlakh", "kind": "negotiation",
        "occurred_at": "2023-09-21T10:00:00Z", "message": "Reported", "publish": False,
    }, format="json").json()
    body = client.post(f"/api/drafts/{draft['id']}/publish/").json()
    development = Development.objects.get(title="Talks in Yevlakh")
    assert body["item"]["id"] == development.pk and body["draft"]["item_id"] == development.pk
    assert Revision.objects.get(pk=body["revision"]).kind == "created"


def test_a_correction_is_submitted_approved_by_another_reviewer_and_published(author, reviewer,
                                                                              development):
    draft = _edit_draft(token_client(author), development).json()
    url = f"/api/drafts/{draft['id']}/"
    assert token_client(author).post(url + "submit/").json()["state"] == "submitted"
    approved = token_client(reviewer).post(url + "approve/", {"comment": "Checked"}, format="json")
    assert approved.status_code == 200 and approved.json()["approved"] is True
    published = token_client(author).post(url + "publish/").json()
    revision = Revision.objects.get(pk=published["revision"])
    link = DraftRevision.objects.get(revision=revision)
    assert (revision.author, link.drafted_by, link.reviewed_by) == (author, author, reviewer)
    assert [event["action"] for event in published["draft"]["events"]] == [
        "saved", "submitted", "approved", "published"]


def test_publishing_an_unapproved_correction_is_409_and_writes_nothing(author, development):
    draft = _edit_draft(token_client(author), development).json()
    before = Revision.objects.count()
    response = token_client(author).post(f"/api/drafts/{draft['id']}/publish/")
    assert response.status_code == 409
    assert "reviewer" in response.json()["detail"]
    assert Revision.objects.count() == before
    assert Draft.objects.get(pk=draft["id"]).state == "draft"


def test_publishing_twice_is_409_and_writes_one_revision(author, development):
    client = token_client(author)
    draft = _edit_draft(client, development, kind="update").json()
    assert client.post(f"/api/drafts/{draft['id']}/publish/").status_code == 200
    before = Revision.objects.count()
    again = client.post(f"/api/drafts/{draft['id']}/publish/")
    assert again.status_code == 409 and "already published" in again.json()["detail"]
    assert Revision.objects.count() == before


def test_approving_your_own_draft_is_refused(development):
    reviewer = make_reviewer()
    client = token_client(reviewer)
    draft = _edit_draft(client, development).json()
    client.post(f"/api/drafts/{draft['id']}/submit/")
    response = client.post(f"/api/drafts/{draft['id']}/approve/")
    assert response.status_code == 403 and "own draft" in response.json()["detail"]
    assert Draft.objects.get(pk=draft["id"]).state == "submitted"


def test_an_editor_who_is_not_a_reviewer_cannot_approve(author, development):
    draft = _edit_draft(token_client(author), development).json()
    token_client(author).post(f"/api/drafts/{draft['id']}/submit/")
    response = token_client(make_editor()).post(f"/api/drafts/{draft['id']}/approve/")
    assert response.status_code == 403 and "reviewers" in response.json()["detail"]
    assert Draft.objects.get(pk=draft["id"]).reviewer is None


def test_approving_a_discarded_draft_is_409(author, reviewer, development):
    client = token_client(author)
    draft = _edit_draft(client, development).json()
    client.post(f"/api/drafts/{draft['id']}/submit/")
    assert client.delete(f"/api/drafts/{draft['id']}/").status_code == 204
    response = token_client(reviewer).post(f"/api/drafts/{draft['id']}/approve/")
    assert response.status_code == 409 and "discarded" in response.json()["detail"]
    assert Draft.objects.get(pk=draft["id"]).state == "discarded"


def test_approving_a_draft_not_submitted_is_409(author, reviewer, development):
    draft = _edit_draft(token_client(author), development).json()
    response = token_client(reviewer).post(f"/api/drafts/{draft['id']}/approve/")
    assert response.status_code == 409


def test_a_second_approval_is_409_naming_the_first_reviewer(author, reviewer, development):
    draft = _edit_draft(token_client(author), development).json()
    token_client(author).post(f"/api/drafts/{draft['id']}/submit/")
    token_client(reviewer).post(f"/api/drafts/{draft['id']}/approve/")
    response = token_client(make_reviewer()).post(f"/api/drafts/{draft['id']}/approve/")
    assert response.status_code == 409 and reviewer.username in response.json()["detail"]


def test_sending_back_needs_a_comment_and_withdraws_the_approval(author, reviewer, development):
    draft = _edit_draft(token_client(author), development).json()
    url = f"/api/drafts/{draft['id']}/"
    token_client(author).post(url + "submit/")
    token_client(reviewer).post(url + "approve/")
    assert token_client(reviewer).post(url + "send-back/", {"comment": ""},
                                       format="json").status_code == 400
    response = token_client(reviewer).post(url + "send-back/", {"comment": "Cite the source"},
                                           format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["reviewer"], body["approved"]) == ("draft", None, False)
    assert body["events"][-1]["comment"] == "Cite the source"


def test_an_approval_is_void_once_the_draft_changes(author, reviewer, development):
    from drafts import services

    draft = _edit_draft(token_client(author), development).json()
    url = f"/api/drafts/{draft['id']}/"
    token_client(author).post(url + "submit/")
    token_client(reviewer).post(url + "approve/")
    # Changed behind the services' back: the fingerprint no longer matches.
    Draft.objects.filter(pk=draft["id"]).update(fields={"title": "Something else"})
    response = token_client(author).post(url + "publish/")
    assert response.status_code == 409 and "void" in response.json()["detail"]
    # Changed through the services: back to review.
    edited = services.draft_update(draft=Draft.objects.get(pk=draft["id"]), user=author,
                                   values={"title": "Again"})
    assert edited.state == "submitted"


def test_a_draft_based_on_a_stale_version_is_refused_until_rebased(author, development):
    from events import services as event_services

    client = token_client(author)
    draft = _edit_draft(client, development, kind="update").json()
    event_services.development_update(author=author, development=development, base_version=1,
                                      message="Meanwhile", changes={"summary": "More"})
    before = Revision.objects.count()
    response = client.post(f"/api/drafts/{draft['id']}/publish/")
    assert response.status_code == 412 and response.json()["current_version"] == 2
    assert Revision.objects.count() == before


def test_scheduling_in_the_past_is_400_and_in_the_future_is_kept(author, development):
    client = token_client(author)
    draft = _edit_draft(client, development, kind="update").json()
    url = f"/api/drafts/{draft['id']}/schedule/"
    past = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    assert client.post(url, {"publish_at": past}, format="json").status_code == 400
    assert Draft.objects.get(pk=draft["id"]).publish_at is None
    future = timezone.now() + dt.timedelta(hours=1)
    response = client.post(url, {"publish_at": future.isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["publish_at"]


def test_the_drafts_list_is_for_editors_and_reviewers_only(author, reviewer, development, reader):
    _edit_draft(token_client(author), development)
    assert token_client(reviewer).get("/api/drafts/").json()["count"] == 1
    assert token_client(reader).get("/api/drafts/").status_code == 403
    assert APIClient().get("/api/drafts/").status_code == 401


def test_the_drafts_list_filters_by_state(author, development):
    client = token_client(author)
    first = _edit_draft(client, development).json()
    _edit_draft(client, development, title="Other")
    client.post(f"/api/drafts/{first['id']}/submit/")
    body = client.get("/api/drafts/?state=submitted").json()
    assert [row["id"] for row in body["results"]] == [first["id"]]


def test_a_draft_with_an_invalid_value_is_400_and_saves_nothing(author, development):
    response = _edit_draft(token_client(author), development, title="x" * 500)
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_a_reader_cannot_save_a_draft(reader, development):
    response = _edit_draft(token_client(reader), development)
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_the_drafts_list_costs_as_many_queries_with_20_drafts_as_with_2(author, development):
    from tests.queries import count_queries

    client = token_client(author)
    for n in range(2):
        _edit_draft(client, development, title=f"Title {n}")
    few = count_queries(client, "/api/drafts/")
    for n in range(18):
        draft = _edit_draft(client, development, title=f"More {n}").json()
        client.post(f"/api/drafts/{draft['id']}/submit/")
    assert count_queries(client, "/api/drafts/") == few


def test_a_claim_with_sources_drafted_and_published_keeps_its_sources(author, development):
    from claims.models import Claim
    from tests.factories import make_actor, make_source

    actor, source = make_actor(author=author), make_source(author=author)
    client = token_client(author)
    draft = client.post("/api/claims/", {
        "development": development.pk, "actor": actor.pk, "made_on": "2023-09-21",
        "paraphrase": "Talks were constructive", "sources": [source.pk], "message": "New claim",
        "publish": False,
    }, format="json")
    assert draft.status_code == 202, draft.json()
    assert draft.json()["fields"]["sources"] == [source.pk]
    published = client.post(f"/api/drafts/{draft.json()['id']}/publish/").json()
    claim = Claim.objects.get(pk=published["item"]["id"])
    assert list(claim.sources.all()) == [source] and claim.actor == actor
