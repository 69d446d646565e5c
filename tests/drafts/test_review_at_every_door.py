"""Review at every door: a correction or retraction from the desk or the API waits for a reviewer.

Under REVIEW_CORRECTIONS (on by default) the desk's Save and Retract and the
API's PATCH and retract/ hold a correction or retraction as a draft submitted
for review; nothing reaches readers until a reviewer other than its author
approves it and it is published. ACLED's deletion list is a data sync and is
not held.
"""

import pytest

from drafts import services
from drafts.models import Draft
from events.models import Development
from interchange.acled import read_deletions
from record.models import Revision
from tests.desk.forms import form_data
from tests.factories import make_claim, make_development, make_editor, make_reviewer, token_client
from tests.interchange.support import DELETIONS, SAMPLE, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _etag(client, url: str) -> str:
    return client.get(url)["ETag"]


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


def test_review_is_on_by_default(settings):
    assert settings.REVIEW_CORRECTIONS is True


def test_an_api_correction_is_a_draft_submitted_for_review_and_publishes_nothing(editor_api):
    development = make_development(title="Shelling reported")
    url = f"/api/developments/{development.pk}/"
    revisions = Revision.objects.count()
    response = editor_api.patch(url, {"title": "Shelling of Stepanakert", "message": "Town named",
                                      "kind": "correction"}, format="json",
                                HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["state"], body["kind"], body["item_id"]) == ("submitted", "correction", development.pk)
    assert Revision.objects.count() == revisions
    assert Development.objects.get(pk=development.pk).title == "Shelling reported"


def test_an_api_update_still_publishes_at_once(editor_api):
    development = make_development()
    url = f"/api/developments/{development.pk}/"
    response = editor_api.patch(url, {"summary": "More", "message": "Detail", "kind": "update"},
                                format="json", HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 200
    assert not Draft.objects.exists()


def test_an_api_retraction_is_a_draft_submitted_for_review(editor_api):
    development = make_development()
    url = f"/api/developments/{development.pk}/"
    response = editor_api.post(url + "retract/", {"reason": "Footage was from 2020"}, format="json",
                               HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 202, response.json()
    assert (response.json()["state"], response.json()["kind"], response.json()["message"]) == (
        "submitted", "retraction", "Footage was from 2020")
    assert Development.objects.get(pk=development.pk).status != Development.Status.RETRACTED


def test_an_api_retraction_of_a_claim_is_held_too(editor_api):
    claim = make_claim()
    url = f"/api/claims/{claim.pk}/"
    response = editor_api.post(url + "retract/", {"reason": "Misattributed"}, format="json",
                               HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 202
    claim.refresh_from_db()
    assert claim.retracted is False


def test_retract_honours_publish_false_with_a_draft_not_yet_submitted(editor_api, settings):
    settings.REVIEW_CORRECTIONS = False  # even where retractions publish at once
    development = make_development()
    url = f"/api/developments/{development.pk}/"
    response = editor_api.post(url + "retract/", {"reason": "Unsure", "publish": False}, format="json",
                               HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 202
    assert (response.json()["state"], response.json()["kind"]) == ("draft", "retraction")
    assert Development.objects.get(pk=development.pk).version == 1


def test_a_stale_correction_is_refused_not_held(editor_api):
    development = make_development()
    url = f"/api/developments/{development.pk}/"
    etag = _etag(editor_api, url)
    editor_api.patch(url, {"summary": "Moved on", "message": "m"}, format="json", HTTP_IF_MATCH=etag)
    response = editor_api.patch(url, {"title": "T", "message": "m", "kind": "correction"}, format="json",
                                HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert not Draft.objects.exists()


def test_a_held_correction_reaches_readers_only_after_another_reviewer_approves(editor_api, editor, client):
    development = make_development(title="Shelling reported")
    url = f"/api/developments/{development.pk}/"
    response = editor_api.patch(url, {"title": "Shelling of Stepanakert", "message": "Town named",
                                      "kind": "correction"}, format="json",
                                HTTP_IF_MATCH=_etag(editor_api, url))
    draft = Draft.objects.get(pk=response.json()["id"])
    assert "Shelling of Stepanakert" not in client.get(development.get_absolute_url()).content.decode()
    services.draft_approve(draft=draft, reviewer=make_reviewer())
    _, revision = services.draft_publish(draft=draft, publisher=editor)
    assert revision.kind == "correction"
    assert "Shelling of Stepanakert" in client.get(development.get_absolute_url()).content.decode()


def test_the_rule_turned_off_publishes_an_api_correction_at_once(editor_api, settings):
    settings.REVIEW_CORRECTIONS = False
    development = make_development()
    url = f"/api/developments/{development.pk}/"
    response = editor_api.patch(url, {"title": "Corrected", "message": "m", "kind": "correction"},
                                format="json", HTTP_IF_MATCH=_etag(editor_api, url))
    assert response.status_code == 200
    assert Revision.objects.order_by("-id").first().kind == "correction"


# --- the desk ------------------------------------------------------------------

@pytest.fixture
def desk(client):
    client.force_login(make_editor())
    return client


def test_a_desk_save_of_a_correction_is_held_for_review_and_says_so(desk):
    development = make_development(title="Talks in Yevlakh")
    url = f"/admin/events/development/{development.pk}/change/"
    revisions = Revision.objects.count()
    response = desk.post(url, form_data(desk.get(url), title="Talks in Baku", change_message="Wrong city",
                                        change_kind="correction"), follow=True)
    draft = Draft.objects.get()
    assert (draft.state, draft.kind, draft.item_id) == ("submitted", "correction", development.pk)
    assert response.redirect_chain[-1][0].endswith(f"/admin/drafts/draft/{draft.pk}/change/")
    assert "submitted for review" in response.content.decode()
    assert Revision.objects.count() == revisions
    assert Development.objects.get(pk=development.pk).title == "Talks in Yevlakh"


def test_a_desk_save_of_an_update_still_publishes(desk):
    development = make_development(title="Talks in Yevlakh")
    url = f"/admin/events/development/{development.pk}/change/"
    desk.post(url, form_data(desk.get(url), title="Talks in Yevlakh, Azerbaijan", change_message="Place",
                             change_kind="update"))
    assert Development.objects.get(pk=development.pk).version == 2
    assert not Draft.objects.exists()


def test_a_desk_retraction_is_held_for_review_and_says_so(desk):
    development = make_development()
    response = desk.post(f"/admin/events/development/{development.pk}/retract/",
                         {"reason": "Based on a fabricated report", "base_version": "1"}, follow=True)
    draft = Draft.objects.get()
    assert (draft.state, draft.kind, draft.message) == ("submitted", "retraction",
                                                        "Based on a fabricated report")
    assert "submitted for review" in response.content.decode()
    assert Development.objects.get(pk=development.pk).status != Development.Status.RETRACTED


def test_a_stale_desk_retraction_still_shows_the_conflict(desk):
    from events.services import development_update

    development = make_development()
    development_update(author=make_editor(), development=development, base_version=1,
                       message="Moved", changes={"location": "Stepanakert"})
    response = desk.post(f"/admin/events/development/{development.pk}/retract/",
                         {"reason": "Never happened", "base_version": "1"})
    assert response.status_code == 200 and response.context["conflict"]["current"] == 2
    assert not Draft.objects.exists()


# --- imports: a documented policy ---------------------------------------------------

def test_an_acled_deletion_list_is_a_data_sync_retracted_at_once_not_held(editor, settings):
    from tests.factories import make_story

    assert settings.REVIEW_CORRECTIONS is True
    story = make_story(author=editor, slug="acled-sync")
    run_import(SAMPLE, story, "--deletions", str(DELETIONS))
    deleted = read_deletions(DELETIONS.read_bytes(), DELETIONS.name)
    retracted = Development.objects.filter(story=story, external_id__in=deleted)
    assert retracted.exists()
    assert all(event.status == Development.Status.RETRACTED for event in retracted)
    assert not Draft.objects.exists()
