"""The desk's drafts: Save draft, the review page (the one diff), approve, send back, publish, schedule."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from drafts.models import Draft
from events.models import Development
from record.models import Revision
from tests.desk.forms import form_data
from tests.factories import make_development, make_editor, make_reviewer

pytestmark = pytest.mark.django_db


def _logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _save_draft(client, development, **changes) -> Draft:
    url = f"/admin/events/development/{development.pk}/change/"
    data = form_data(client.get(url), **{"title": "Shelling of Stepanakert",
                                         "change_message": "Town named", "change_kind": "correction",
                                         **changes})
    data["_save_draft"] = "Save draft"
    response = client.post(url, data)
    assert response.status_code == 302, (response.context["adminform"].form.errors,
                                         response.context["errors"])
    draft = Draft.objects.latest("id")
    assert response["Location"] == f"/admin/drafts/draft/{draft.pk}/change/"
    return draft


def _step(client, draft, step, **data):
    return client.post(f"/admin/drafts/draft/{draft.pk}/step/{step}/", data, follow=True)


def test_save_draft_holds_the_change_outside_the_record(desk):
    development = make_development(title="Shelling reported")
    revisions = Revision.objects.count()
    draft = _save_draft(desk, development, title="Shelling of Stepanakert")
    assert (draft.fields, draft.kind, draft.base_version) == (
        {"title": "Shelling of Stepanakert"}, "correction", 1)
    assert Revision.objects.count() == revisions
    assert Development.objects.get(pk=development.pk).title == "Shelling reported"


def test_the_review_page_shows_the_draft_as_the_one_diff_against_the_current_version(desk):
    development = make_development(title="Shelling reported")
    draft = _save_draft(desk, development, title="Shelling of Stepanakert reported")
    page = desk.get(f"/admin/drafts/draft/{draft.pk}/change/").content.decode()
    assert "<ins>of Stepanakert </ins>" in page
    assert "csrfmiddlewaretoken" in page


def test_an_editor_who_is_not_a_reviewer_sees_no_approve_button_and_is_refused(desk):
    draft = _save_draft(desk, make_development())
    _step(desk, draft, "submit")
    other = _logged_in(make_editor())
    assert 'value="Approve"' not in other.get(f"/admin/drafts/draft/{draft.pk}/change/").content.decode()
    response = _step(other, draft, "approve")
    assert "Only reviewers approve drafts" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).state == "submitted"


def test_a_reviewer_approves_and_the_author_publishes_one_revision(desk):
    development = make_development()
    draft = _save_draft(desk, development, title="Corrected title")
    _step(desk, draft, "submit")
    reviewer = _logged_in(make_reviewer())
    page = reviewer.get(f"/admin/drafts/draft/{draft.pk}/change/").content.decode()
    assert 'value="Approve"' in page
    assert "Approved" in _step(reviewer, draft, "approve").content.decode()
    revisions = Revision.objects.count()
    response = _step(desk, draft, "publish")
    assert "Published as revision" in response.content.decode()
    assert Revision.objects.count() == revisions + 1
    assert Development.objects.get(pk=development.pk).title == "Corrected title"


def test_publishing_an_unapproved_correction_from_the_desk_is_refused(desk):
    draft = _save_draft(desk, make_development())
    response = _step(desk, draft, "publish")
    assert "Nothing was changed" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).state == "draft"


def test_send_back_without_a_comment_is_a_form_error(desk):
    draft = _save_draft(desk, make_development())
    _step(desk, draft, "submit")
    reviewer = _logged_in(make_reviewer())
    response = reviewer.post(f"/admin/drafts/draft/{draft.pk}/step/send_back/", {"comment": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    _step(reviewer, draft, "send_back", comment="Name the source")
    assert Draft.objects.get(pk=draft.pk).state == "draft"


def test_schedule_in_the_past_is_refused_and_in_the_future_kept(desk):
    draft = _save_draft(desk, make_development(), change_kind="update")
    past = timezone.now() - dt.timedelta(hours=1)
    response = _step(desk, draft, "schedule", publish_at_0=past.date().isoformat(),
                     publish_at_1=past.strftime("%H:%M"))
    assert "in the future" in response.content.decode()
    future = timezone.now() + dt.timedelta(days=1)
    _step(desk, draft, "schedule", publish_at_0=future.date().isoformat(),
          publish_at_1=future.strftime("%H:%M"))
    assert Draft.objects.get(pk=draft.pk).publish_at is not None


def test_a_stale_draft_shows_what_changed_in_between_and_can_be_rebased(desk):
    from events.services import development_update

    development = make_development(summary="Officials met.")
    draft = _save_draft(desk, development, title="New title", change_kind="update")
    development_update(author=make_editor(), development=development, base_version=1,
                       message="Who met", changes={"summary": "Officials met separatist leaders."})
    page = desk.get(f"/admin/drafts/draft/{draft.pk}/change/").content.decode()
    assert "the current version is 2" in page and "<ins> separatist leaders</ins>" in page
    assert 'value="Publish now"' not in page
    _step(desk, draft, "rebase")
    assert Draft.objects.get(pk=draft.pk).base_version == 2


def test_the_drafts_list_filters_by_state(desk):
    development = make_development()
    submitted = _save_draft(desk, development, title="One")
    _save_draft(desk, development, title="Two")
    _step(desk, submitted, "submit")
    response = desk.get("/admin/drafts/draft/?state__exact=submitted")
    assert [row.pk for row in response.context["cl"].result_list] == [submitted.pk]


def test_a_step_without_the_csrf_token_is_refused(editor):
    desk = _logged_in(editor, enforce_csrf_checks=True)
    author = _logged_in(editor)
    draft = _save_draft(author, make_development())
    response = desk.post(f"/admin/drafts/draft/{draft.pk}/step/submit/")
    assert response.status_code == 403
    assert Draft.objects.get(pk=draft.pk).state == "draft"


def test_a_reader_cannot_open_the_drafts(client, reader):
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    assert client.get("/admin/drafts/draft/").status_code == 403


def test_a_new_development_saved_as_a_draft_writes_no_row_until_published(desk):
    from tests.factories import make_story

    story = make_story()
    data = form_data(desk.get("/admin/events/development/add/"), story=str(story.pk),
                     title="Talks in Yevlakh", kind="negotiation",
                     occurred_at_0="2023-09-21", occurred_at_1="10:00",
                     change_message="Reported by two outlets")
    data["_save_draft"] = "Save draft"
    revisions = Revision.objects.count()
    response = desk.post("/admin/events/development/add/", data)
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert (draft.item_id, draft.kind, draft.story_id) == (None, "created", story.pk)
    assert not Development.objects.filter(title="Talks in Yevlakh").exists()
    assert Revision.objects.count() == revisions
    _step(desk, draft, "publish")
    assert Development.objects.get(title="Talks in Yevlakh").pk == Draft.objects.get().item_id


def test_the_items_history_names_who_drafted_and_who_reviewed_a_published_draft(desk):
    development = make_development()
    draft = _save_draft(desk, development)
    _step(desk, draft, "submit")
    reviewer = make_reviewer()
    _step(_logged_in(reviewer), draft, "approve")
    _step(desk, draft, "publish")
    page = desk.get(f"/admin/events/development/{development.pk}/history/").content.decode()
    assert f"drafted by {desk.user.username}, reviewed by {reviewer.username}" in page
