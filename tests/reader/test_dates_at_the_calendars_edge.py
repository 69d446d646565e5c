"""Dates at the edge of the calendar: refused at every door, and never able to break a page once stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events.models import Development
from reader.dates import occurred_iso, occurred_parts, occurred_text
from tests.factories import make_development, make_editor, make_story, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

LAST_DAY = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)  # a Friday: its week ends in the year 10000


@pytest.mark.parametrize("precision", ["week", "month", "day", "hour", "minute"])
def test_the_last_day_of_the_calendar_reads_at_every_precision(precision):
    development = Development(occurred_at=LAST_DAY, occurred_precision=precision)
    assert "9999" in occurred_text(development)
    assert occurred_iso(LAST_DAY, precision).startswith("9999")
    assert occurred_parts(LAST_DAY, precision)["year"] == 9999


def test_a_week_that_runs_past_the_calendar_reads_to_its_last_day():
    development = Development(occurred_at=LAST_DAY, occurred_precision="week")
    assert occurred_text(development) == "week of 27–31 Dec 9999"


def test_a_week_precise_date_whose_week_leaves_the_calendar_is_refused_by_the_services():
    with pytest.raises(ValidationError) as refused:
        make_development(occurred_at=LAST_DAY, occurred_precision="week")
    assert "occurred_at" in refused.value.message_dict


def test_the_api_refuses_a_week_that_leaves_the_calendar_with_a_400():
    story = make_story()
    response = token_client(make_editor()).post("/api/developments/", {
        "story": story.slug, "title": "Far", "development_kind": "statement", "kind": "statement",
        "occurred_at": "9999-12-31T00:00:00Z", "occurred_precision": "week", "message": "New",
    }, format="json")
    assert response.status_code == 400
    assert "occurred_at" in response.json()
    assert not story.developments.exists()


def test_an_ending_past_the_calendar_at_week_precision_is_refused():
    with pytest.raises(ValidationError) as refused:
        make_development(occurred_at=dt.datetime(2023, 9, 19, tzinfo=dt.UTC), occurred_precision="week",
                         ended_at=LAST_DAY)
    assert "ended_at" in refused.value.message_dict


@pytest.fixture
def stored_past_validation(monkeypatch):
    """A version written as an older release could have: past today's validation."""
    with monkeypatch.context() as patched:
        patched.setattr(Development, "clean", lambda self: None)
        development = make_development(occurred_at=LAST_DAY, occurred_precision="week",
                                       ended_at=LAST_DAY, latitude=40.0, longitude=46.0)
    return development


def test_every_page_showing_a_stored_far_future_week_answers(client, stored_past_validation):
    development = stored_past_validation
    story = development.story.get_absolute_url()
    moment = development.history.get().revision.created_at.isoformat()
    for url in (story, development.get_absolute_url(), f"{story}developments.geojson",
                f"/api/stories/{development.story.slug}/geojson/", f"{story}?as_of={moment}",
                f"{story}developments.geojson?as_of={moment}", f"{story}feed.atom", f"{story}feed.json",
                f"{story}timeline.json", f"/api/developments/{development.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_desk_refuses_a_week_that_leaves_the_calendar_as_a_form_error(client):
    from tests.desk.forms import form_data

    editor = make_editor()
    client.force_login(editor)
    development = make_development(title="Far away")
    url = f"/admin/events/development/{development.pk}/change/"
    response = client.post(url, form_data(client.get(url), **{
        "occurred_at_0": "9999-12-31", "occurred_at_1": "00:00", "occurred_precision": "week",
        "change_message": "Moved"}))
    assert response.status_code == 200
    assert "31 Dec 9999" in str(response.context["adminform"].form.errors)
    development.refresh_from_db()
    assert development.version == 1
