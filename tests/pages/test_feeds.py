"""Atom and JSON feeds of a story, with cheap conditional polling."""

import datetime as dt
import json

import feedparser
import pytest

from events import services
from events.selectors import story_revisions
from record.models import Revision
from tests.factories import make_claim, make_development, make_user

pytestmark = pytest.mark.django_db

ATOM = "/stories/karabakh-2023/feed.atom"
JSON = "/stories/karabakh-2023/feed.json"


def test_feedparser_reads_the_atom_feed_without_complaint(client, demo_story):
    response = client.get(ATOM)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == demo_story.title
    revisions = list(story_revisions(demo_story).order_by("-id"))
    assert len(feed.entries) == len(revisions)
    newest = feed.entries[0]
    assert newest.title == "Updated: What we know"  # the demo's "What we know", talks in Yevlakh added
    assert "Talks in Yevlakh added" in newest.summary
    assert newest.updated_parsed[:5] == (2023, 9, 21, 18, 0)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_the_json_feed_carries_the_same_entries_and_dates_as_the_atom_feed(client, demo_story):
    # feedparser 6.0.x (the latest release) has no JSON Feed parser, only XML ones;
    # so the JSON Feed is checked against the Atom feed that feedparser did parse.
    atom = feedparser.parse(client.get(ATOM).content)
    items = json.loads(client.get(JSON).content)["items"]
    assert [item["id"] for item in items] == [entry.id for entry in atom.entries]
    assert [item["title"] for item in items] == [entry.title for entry in atom.entries]
    assert [dt.datetime.fromisoformat(item["date_modified"]).utctimetuple()[:6] for item in items] == [
        tuple(entry.updated_parsed[:6]) for entry in atom.entries]
    correction = next(item for item in items if item["title"].startswith("Corrected: "))
    assert not correction["title"].startswith("Corrected: Correction")
    assert correction["summary"].startswith("Correction: the address was given on the evening")


def test_a_feed_entry_is_titled_by_the_development_headline_and_the_kind_of_change(client, db):
    development = make_development(title="Death toll of the offensive unclear")
    services.development_update(
        author=make_user(), development=development, base_version=1, kind=Revision.Kind.CORRECTION,
        message="Correction: the toll was given by the ombudsman, not the ministry",
        changes={"summary": "The ombudsman gave the toll."})
    url = f"/stories/{development.story.slug}/feed.atom"
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries[:2]] == [
        "Corrected: Death toll of the offensive unclear", "New: Death toll of the offensive unclear"]
    assert "the toll was given by the ombudsman" in feed.entries[0].summary
    items = json.loads(client.get(url.replace("atom", "json")).content)["items"]
    assert items[0]["title"] == "Corrected: Death toll of the offensive unclear"
    assert items[0]["summary"] == "Correction: the toll was given by the ombudsman, not the ministry"


def test_a_feed_entry_about_a_claim_is_titled_by_its_development(client, db):
    claim = make_claim(development=make_development(title="Ceasefire agreed in Khankendi"))
    feed = feedparser.parse(client.get(f"/stories/{claim.development.story.slug}/feed.atom").content)
    assert feed.entries[0].title == "New: Ceasefire agreed in Khankendi"


def test_the_json_feed_follows_json_feed_1_1(client, demo_story):
    response = client.get(JSON)
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    data = json.loads(response.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == demo_story.title
    assert data["feed_url"].endswith(JSON) and data["home_page_url"].endswith("/stories/karabakh-2023/")
    assert all(isinstance(author["name"], str) for author in data["authors"])
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item["content_html"], str) and item["content_html"]
        for key in ("date_published", "date_modified"):
            assert dt.datetime.fromisoformat(item[key]).tzinfo is not None


@pytest.mark.parametrize("url", [ATOM, JSON])
def test_a_conditional_get_with_the_etag_is_304(client, demo_story, url):
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_conditional_get_with_last_modified_is_304(client, demo_story):
    first = client.get(ATOM)
    assert client.get(ATOM, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_the_304_is_answered_before_the_feed_is_built(client, demo_story, django_assert_max_num_queries):
    etag = client.get(ATOM)["ETag"]
    with django_assert_max_num_queries(2):  # the story's latest revision, for ETag and Last-Modified
        assert client.get(ATOM, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_new_revision_changes_the_etag(client, demo_story):
    etag = client.get(ATOM)["ETag"]
    make_development(story=demo_story, author=make_user(), title="Refugees cross into Armenia")
    response = client.get(ATOM, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Refugees cross into Armenia" in response.content.decode()
    assert story_revisions(demo_story).order_by("-id").first().kind == Revision.Kind.CREATED


def test_the_feed_of_an_unknown_story_is_404(client, db):
    assert client.get("/stories/unknown/feed.atom").status_code == 404
    assert client.get("/stories/unknown/feed.json").status_code == 404
