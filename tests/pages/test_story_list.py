"""The front page: stories with their latest change and status."""

import pytest

from events.models import Story
from tests.factories import make_development, make_story

pytestmark = pytest.mark.django_db


def test_it_lists_stories_with_status_and_latest_change(client):
    story = make_story(title="Talks in Geneva", status=Story.Status.CONCLUDED)
    make_development(story=story, title="Delegations arrive")
    html = client.get("/").content.decode()
    assert "Talks in Geneva" in html
    assert "Concluded" in html
    assert "Latest change" in html and "New development" in html
    assert "1 development" in html


def test_it_lists_the_most_recently_changed_story_first(client):
    older, newer = make_story(title="Older story"), make_story(title="Newer story")
    make_development(story=older)
    make_development(story=newer)
    html = client.get("/").content.decode()
    assert html.index("Newer story") < html.index("Older story")


def test_it_links_to_subscribe(client):
    assert 'href="/subscribe/"' in client.get("/").content.decode()


def test_a_new_story_shows_at_once_although_pages_are_cached(client, db):
    make_story(title="First")
    client.get("/")
    make_story(title="Second")
    assert "Second" in client.get("/").content.decode()
