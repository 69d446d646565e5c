"""Fast entry of a development: the story preselected, the short form first, the why beside Save."""

from __future__ import annotations

import pytest

from events.models import Development, Story
from tests.desk.forms import form_data
from tests.factories import make_development, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ADD = "/admin/events/development/add/"


def _initial_story(desk):
    return desk.get(ADD).context["adminform"].form.initial.get("story")


def test_the_only_developing_story_is_preselected(desk):
    story = make_story()
    make_story(status=Story.Status.CONCLUDED)
    assert _initial_story(desk) == story.pk


def test_with_several_developing_stories_the_one_last_used_is_preselected(desk):
    make_story()
    used = make_story()
    make_development(used, author=desk.user)
    assert _initial_story(desk) == used.pk


def test_with_several_developing_stories_and_none_used_nothing_is_preselected(desk):
    make_story(), make_story()
    assert _initial_story(desk) is None


def test_the_why_sits_beside_the_save_buttons_after_every_field(desk):
    make_story()
    page = desk.get(ADD).content.decode()
    box = page.index('class="desk-save-box"')
    assert page.index('id="id_change_message"') > box
    assert page.index('name="_save"') > page.index('id="id_change_message"')
    assert page.index('id="id_title"') < box


def test_the_rest_of_the_fields_are_folded_below_the_short_form(desk):
    make_story()
    page = desk.get(ADD).content.decode()
    fold = page.index("More: status, end, coordinates, who and sources")
    assert page.rfind("<details", 0, fold) > page.index('id="id_location"')
    assert page.index('id="id_latitude"') > fold


def test_save_and_add_another_opens_the_next_development_on_the_same_story(desk):
    story = make_story()
    data = form_data(desk.get(f"{ADD}?story={story.pk}"), title="Convoy leaves", kind="statement",
                     occurred_at_0="20 Sept 2023", occurred_at_1="", occurred_precision="day",
                     change_message="New development")
    data["_addanother"] = "Save and add another"
    response = desk.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == f"{ADD}?story={story.pk}"
    assert Development.objects.filter(story=story, title="Convoy leaves").exists()
