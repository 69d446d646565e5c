"""User text is isolated wherever it is embedded: an unterminated U+202E ends with its text (issue 24: 17).

The one mechanism: the `bdi` template filter (reader_text) wraps user text
in `<bdi>`, which isolates it in browsers and mail clients alike; the
stylesheet isolates the elements that hold user text too.
"""

from __future__ import annotations

import datetime as dt

import pytest

from digests.builder import build_window
from digests.email import render_digest_html
from record.models import Revision
from tests.factories import make_actor, make_claim, make_development, make_source, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

RLO = "\u202e"


def isolated(text: str) -> str:
    return f"<bdi>{text}</bdi>"


@pytest.fixture
def hostile():
    """A story whose every piece of user text carries an unterminated right-to-left override."""
    story = make_story(title=f"Story {RLO}title", summary=f"Story {RLO}summary")
    source = make_source(outlet=f"Outlet {RLO}", title=f"Report {RLO}title",
                         published_on=dt.date(2023, 9, 20))
    actor = make_actor(name=f"Actor {RLO}name")
    development = make_development(story=story, title=f"Development {RLO}title",
                                   summary=f"Development {RLO}summary", sources=[source], actors=[actor])
    claim = make_claim(development=development, actor=actor, paraphrase=f"Claim {RLO}text", sources=[source])
    return story, development, claim


def test_the_development_page_isolates_titles_summaries_claims_sources_and_actors(client, hostile):
    story, development, _ = hostile
    html = client.get(f"/stories/{story.slug}/developments/{development.pk}/").content.decode()
    for text in (f"Story {RLO}title", f"Development {RLO}title", f"Development {RLO}summary",
                 f"Claim {RLO}text", f"Report {RLO}title", f"Outlet {RLO}", f"Actor {RLO}name"):
        assert isolated(text) in html, text
    body = html[html.index("<body"):]
    # Every override in the page's body ends where its text does: the next tag closes a <bdi>.
    for at in (index for index, char in enumerate(body) if char == RLO):
        assert body[body.index("<", at):].startswith("</bdi>"), body[at - 80:at + 80]


def test_the_story_page_and_the_story_list_isolate_titles_and_summaries(client, hostile):
    story, _, _ = hostile
    html = client.get(f"/stories/{story.slug}/").content.decode()
    for text in (f"Story {RLO}title", f"Development {RLO}title", f"Actor {RLO}name"):
        assert isolated(text) in html, text
    assert isolated(f"Story {RLO}title") in client.get("/").content.decode()


def test_the_feeds_html_isolates_user_text(client, hostile):
    story, _, _ = hostile
    atom = client.get(f"/stories/{story.slug}/feed.atom").content.decode()
    assert "&lt;bdi&gt;Development \u202etitle&lt;/bdi&gt;" in atom or (
        f"<bdi>Development {RLO}title</bdi>" in atom)


def test_the_digest_email_isolates_user_text(hostile):
    story, _, _ = hostile
    upto = Revision.objects.order_by("-id").values_list("id", flat=True).first()
    html = render_digest_html(build_window(0, upto, story_ids=[story.pk]))
    for text in (f"Story {RLO}title", f"Development {RLO}title"):
        assert isolated(text) in html, text


def test_text_without_a_control_character_is_wrapped_all_the_same(client):
    story = make_story(title="Ceasefire <b>talks</b>")
    html = client.get(f"/stories/{story.slug}/").content.decode()
    assert "<bdi>Ceasefire &lt;b&gt;talks&lt;/b&gt;</bdi>" in html
