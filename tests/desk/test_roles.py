"""Roles: editors reach the desk with exactly what they need; readers never do."""

import pytest
from django.contrib.auth.models import Group

from desk.roles import EDITORS_GROUP, REVIEWERS_GROUP

pytestmark = pytest.mark.django_db


def test_the_editors_group_has_exactly_add_change_view_and_no_delete():
    codenames = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("codename", flat=True))
    assert codenames == {
        "add_story", "change_story", "view_story",
        "add_development", "change_development", "view_development", "view_revision",
        "add_claim", "change_claim", "view_claim", "add_actor", "change_actor", "view_actor",
        "add_source", "change_source", "view_source",
        "add_briefing", "change_briefing", "view_briefing", "add_draft", "change_draft", "view_draft",
    }


def test_the_reviewers_group_reviews_drafts_and_deletes_nothing():
    codenames = set(Group.objects.get(name=REVIEWERS_GROUP).permissions.values_list("codename", flat=True))
    assert codenames == {"review_draft", "view_draft", "change_draft"}


def test_a_reader_is_sent_to_the_login_page(client, reader):
    client.force_login(reader)
    response = client.get("/admin/events/development/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    assert "/admin/login/" in client.get("/admin/").headers["Location"]


@pytest.mark.parametrize("path", ["events/story", "events/development", "claims/claim",
                                  "events/actor", "events/source", "record/revision"])
def test_an_editor_reaches_every_desk_page(desk, path):
    assert desk.get(f"/admin/{path}/").status_code == 200


def test_the_revision_log_is_read_only_for_editors(desk):
    assert desk.get("/admin/record/revision/add/").status_code == 403
