"""Without Pushpin (`make run`) the app streams by itself: backlog after the cursor, then live revisions."""

import pytest
from rest_framework.test import APIClient

from events import services
from record.models import Revision
from tests.factories import make_development, make_story, make_user
from tests.live.sse import SSEReader

pytestmark = pytest.mark.usefixtures("quick_streams")


def _edit(development, title):
    development.refresh_from_db()
    return services.development_update(author=make_user(), development=development,
                                       base_version=development.version, message=f"Now {title}",
                                       changes={"title": title})


def test_a_revision_committed_after_connecting_arrives_as_one_event(transactional_db, live_server):
    story = make_story()
    with SSEReader(f"{live_server.url}/stories/{story.slug}/live") as reader:
        reader.head_received.wait(5)
        assert reader.status == 200 and reader.headers["content-type"].startswith("text/event-stream")
        development = make_development(story=story)
        event = reader.next_event()
    revision = Revision.objects.order_by("-id").first()
    assert (event.id, event.event) == (str(revision.id), "revision")
    data = event.json
    assert (data["revision"], data["story"], data["kind"], data["minor"]) == (revision.id, story.slug,
                                                                              "created", False)
    assert data["url"] == f"/stories/{story.slug}/"
    [item] = data["items"]
    assert (item["type"], item["id"], item["url"]) == ("development", development.id,
                                                       development.get_absolute_url())
    assert item["api_url"] == f"/api/developments/{development.id}/"


def test_last_event_id_first_gets_every_later_revision_in_id_order(transactional_db, live_server):
    story = make_story()
    first = Revision.objects.order_by("-id").first().id
    developments = [make_development(story=story) for _ in range(3)]
    later = list(Revision.objects.filter(id__gt=first).order_by("id").values_list("id", flat=True))
    with SSEReader(f"{live_server.url}/api/changes/stream", last_event_id=str(first)) as reader:
        assert reader.ids(len(later)) == later
        make_development(story=story)
        assert reader.ids(1) == [Revision.objects.order_by("-id").first().id]
    assert len(developments) == 3


def test_after_in_the_url_resumes_like_last_event_id(transactional_db, live_server):
    story = make_story()
    start = Revision.objects.order_by("-id").first().id
    make_development(story=story)
    with SSEReader(f"{live_server.url}/stories/{story.slug}/live?after={start}") as reader:
        assert reader.ids(1) == [Revision.objects.order_by("-id").first().id]


def test_an_event_carries_the_change_feed_entry_of_its_revision(transactional_db, live_server):
    development = make_development(title="Shelling reported")
    start = Revision.objects.order_by("-id").first().id
    _edit(development, "Shelling of Stepanakert")
    feed = APIClient().get(f"/api/changes/?after={start}").json()["results"][0]
    with SSEReader(f"{live_server.url}/api/changes/stream?after={start}") as reader:
        data = reader.next_event().json
    assert data["items"][0].pop("url") == development.get_absolute_url()
    assert data["items"][0].pop("api_url") == f"/api/developments/{development.id}/"
    assert data.pop("revision") == feed["id"]
    assert data.pop("url") == f"/stories/{development.story.slug}/"
    assert data == feed
    assert feed["items"][0]["changes"][0]["field"] == "title"


def test_a_story_stream_carries_only_its_story(transactional_db, live_server):
    story, other = make_story(), make_story()
    with SSEReader(f"{live_server.url}/api/changes/stream?story={story.slug}") as reader:
        reader.head_received.wait(5)
        make_development(story=other)
        mine = make_development(story=story)
        assert reader.next_event().json["items"][0]["id"] == mine.id


def test_an_id_beyond_the_end_of_the_log_waits_for_the_next_revision(transactional_db, live_server):
    story = make_story()
    with SSEReader(f"{live_server.url}/stories/{story.slug}/live", last_event_id="999999999") as reader:
        reader.head_received.wait(5)
        assert reader.status == 200
        make_development(story=story)
        assert reader.ids(1) == [Revision.objects.order_by("-id").first().id]


def test_an_idle_stream_sends_keep_alive_comments(transactional_db, live_server):
    story = make_story()
    with SSEReader(f"{live_server.url}/stories/{story.slug}/live") as reader:
        assert reader.comments.get(timeout=5) == "keep-alive"


def test_a_direct_stream_ends_after_its_lifetime_with_a_reconnect_hint(transactional_db, live_server,
                                                                       settings):
    settings.LIVE_DIRECT_SECONDS = 1
    story = make_story()
    with SSEReader(f"{live_server.url}/stories/{story.slug}/live") as reader:
        assert reader.closed.wait(10)
    assert (reader.status, reader.retry) == (200, settings.LIVE_RETRY_MILLISECONDS)


def test_a_claim_event_links_to_the_claims_own_page(transactional_db, live_server):
    from tests.factories import make_claim

    development = make_development()
    start = Revision.objects.order_by("-id").first().id
    claim = make_claim(development=development)
    with SSEReader(f"{live_server.url}/api/changes/stream?after={start}") as reader:
        items = {item["type"]: item for event in [reader.next_event(), reader.next_event()]
                 for item in event.json["items"]}
    assert items["claim"]["url"] == f"/stories/{development.story.slug}/claims/{claim.id}/"
    assert items["claim"]["api_url"] == f"/api/claims/{claim.id}/"
    assert items["actor"]["url"] is None and items["actor"]["api_url"].startswith("/api/actors/")


@pytest.mark.sqlite
def test_the_direct_stream_reads_the_backlog_on_the_embedded_database_too(db, client, settings):
    settings.LIVE_DIRECT_SECONDS = 0  # one poll, then the stream ends
    story = make_story()
    start = Revision.objects.order_by("-id").first().id
    development = make_development(story=story)
    response = client.get(f"/stories/{story.slug}/live?after={start}")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/event-stream"
    assert body.startswith(f"retry: {settings.LIVE_RETRY_MILLISECONDS}\n\n")
    latest = Revision.objects.order_by("-id").first().id
    assert f"id: {latest}\nevent: revision\ndata: " in body
    assert f'"id":{development.id}' in body
