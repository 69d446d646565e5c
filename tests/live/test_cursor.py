"""Bad cursors and filters are refused before any stream opens."""

import pytest

from tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "٣", "99999999999999999999", "1 2"])
def test_a_malformed_last_event_id_is_a_400_with_a_clear_message(client, value):
    response = client.get("/api/changes/stream", headers={"Last-Event-ID": value})
    assert response.status_code == 400
    assert "Last-Event-ID must be a revision id" in response.json()["detail"]


def test_a_malformed_after_is_a_400_on_the_story_stream_too(client):
    story = make_story()
    response = client.get(f"/stories/{story.slug}/live?after=yesterday")
    assert response.status_code == 400
    assert "after must be a revision id" in response.json()["detail"]


def test_an_unknown_story_filter_is_a_400_naming_it(client):
    response = client.get("/api/changes/stream?story=no-such-story")
    assert response.status_code == 400
    assert response.json()["story"] == ["no-such-story"]


def test_the_stream_of_an_unknown_story_is_a_404(client):
    assert client.get("/stories/no-such-story/live").status_code == 404
