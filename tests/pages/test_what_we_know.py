"""The story page's pinned "What we know" and its "Key developments" strip; the key-only feeds."""

import pytest
from django.core.cache import cache

from events import services
from record.models import Revision
from tests.factories import make_development, make_editor, make_story

pytestmark = pytest.mark.django_db


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_what_we_know_is_shown_above_the_timeline(client):
    editor = make_editor()
    story = make_story(author=editor)
    make_development(story, author=editor, title="Shelling reported")
    services.briefing_create(author=editor, story=story, message="Pinned",
                             text="Fighting began on 19 September.")
    html = _html(client, story.get_absolute_url())
    assert "What we know" in html
    assert html.index("Fighting began on 19 September.") < html.index("<ol class=\"timeline\">")


def test_as_of_shows_what_was_known_then(client):
    editor = make_editor()
    story = make_story(author=editor)
    briefing = services.briefing_create(author=editor, story=story, message="Pinned",
                                        text="Fighting began.")
    first = Revision.objects.latest("id").created_at
    services.briefing_update(author=editor, briefing=briefing, base_version=1, message="Later",
                             changes={"text": "A ceasefire was agreed."})
    then = _html(client, f"{story.get_absolute_url()}?as_of={first.isoformat().replace('+00:00', 'Z')}")
    assert "Fighting began." in then and "A ceasefire was agreed." not in then
    assert "A ceasefire was agreed." in _html(client, story.get_absolute_url())


def test_a_story_without_a_summary_shows_no_empty_box(client):
    story = make_story()
    assert "What we know" not in _html(client, story.get_absolute_url())


def test_key_developments_are_listed_in_their_strip(client):
    editor = make_editor()
    story = make_story(author=editor)
    make_development(story, author=editor, title="Offensive launched", key_event=True)
    make_development(story, author=editor, title="A minor statement")
    html = _html(client, story.get_absolute_url())
    strip = html[html.index("Key developments"):html.index("Timeline</h2>")]
    assert "Offensive launched" in strip and "A minor statement" not in strip


def test_the_key_only_feeds_leave_other_developments_out(client):
    editor = make_editor()
    story = make_story(author=editor)
    make_development(story, author=editor, title="Offensive launched", key_event=True)
    make_development(story, author=editor, title="A minor statement")
    for feed in ("feed.atom", "feed.json"):
        cache.clear()
        key_only = _html(client, f"{story.get_absolute_url()}{feed}?key=true")
        everything = _html(client, f"{story.get_absolute_url()}{feed}")
        assert "Offensive launched" in key_only and "A minor statement" not in key_only
        assert "A minor statement" in everything


def test_the_key_only_feed_has_its_own_etag(client):
    editor = make_editor()
    story = make_story(author=editor)
    make_development(story, author=editor, key_event=True)
    url = f"{story.get_absolute_url()}feed.atom"
    assert client.get(url)["ETag"] != client.get(f"{url}?key=true")["ETag"]
