""""As of" never shows evidence from the future: a claim's sources as known then (issue 25, item 12)."""

import datetime as dt

import pytest

from archive.services import Note, sources_note
from events.models import Source
from tests.factories import make_actor, make_claim, make_development, make_source, make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2023, 9, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def story():
    story = make_story(slug="evidence", at=at(19, 8))
    author = make_user()
    source = make_source(author=author, outlet="Reuters", title="Ombudsman's toll",
                         url="https://news.example/toll", at=at(19, 9))
    development = make_development(story=story, author=author, title="Death toll reported",
                                   at=at(19, 10))
    ombudsman = make_actor(author=author, name="Ombudsman", at=at(19, 10))
    make_claim(development=development, author=author, actor=ombudsman, sources=[source],
               paraphrase="The ombudsman gives a toll", at=at(19, 11))
    # The archive captures the cited page on 21 Sept; later it finds the page changed.
    source = Source.objects.get(pk=source.pk)
    sources_note([Note(source, source.url, {"archived_at": at(21, 9), "archive_status": "archived"},
                       "Archived the cited page")], at=at(21, 9))
    source = Source.objects.get(pk=source.pk)
    sources_note([Note(source, source.url, {"archive_status": "changed"}, "The page changed")],
                 at=at(22, 9))
    return story


def test_as_of_a_moment_before_the_capture_a_source_is_not_yet_archived(client, story):
    html = client.get("/stories/evidence/?as_of=2023-09-20T12:00Z").content.decode()
    assert "<bdi>Reuters</bdi>: <bdi>Ombudsman" in html  # the source as it was cited, user text isolated
    assert "archived" not in html.split('class="claim-sources"')[1].split("</p>")[0]
    assert "source changed since cited" not in html


def test_as_of_a_moment_after_the_capture_the_source_is_archived_but_not_yet_changed(client, story):
    html = client.get("/stories/evidence/?as_of=2023-09-21T12:00Z").content.decode()
    assert "archived <time" in html and "21 Sept 2023" in html
    assert "source changed since cited" not in html


def test_the_current_page_shows_the_latest_archive_state(client, story):
    html = client.get("/stories/evidence/").content.decode()
    assert "archived <time" in html and "source changed since cited" in html
