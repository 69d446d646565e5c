"""Through real Pushpin: Django answers with GRIP instructions and publishes each committed revision."""

import logging

import requests
from rest_framework.authtoken.models import Token

from record.models import Revision
from tests.factories import make_development, make_story, make_user
from tests.live.keys import SIG_KEY
from tests.live.sse import SSEReader
from tests.ports import free_port
from tests.waiting import wait_for


def _latest() -> int:
    return Revision.objects.order_by("-id").first().id


def _api_edit(base_url, development, title):
    # A superuser: a transactional test's flush empties the editors group its migration made.
    token = Token.objects.create(user=make_user(is_staff=True, is_superuser=True)).key
    url = f"{base_url}/api/developments/{development.id}/"
    etag = requests.get(url, timeout=10).headers["ETag"]
    response = requests.patch(url, json={"title": title, "message": "Named the town", "kind": "update"},
                              headers={"Authorization": f"Token {token}", "If-Match": etag}, timeout=10)
    assert response.status_code == 200, response.text
    return response


def test_an_api_edit_reaches_a_reader_through_pushpin_by_the_celery_task(
        transactional_db, live_server, grip, celery_redis_worker):  # noqa: F811
    development = make_development(title="Shelling reported")
    with SSEReader(f"{grip.url}/stories/{development.story.slug}/live") as reader:
        reader.head_received.wait(10)
        assert reader.status == 200
        _api_edit(live_server.url, development, "Shelling of Stepanakert")
        event = reader.next_event(timeout=15)
    assert int(event.id) == _latest()
    [item] = event.json["items"]
    assert item["changes"][0]["after"] == "Shelling of Stepanakert"


def test_django_answers_a_proxied_stream_with_grip_instructions_and_holds_nothing(
        transactional_db, live_server, settings):
    settings.GRIP_SIG_KEY = SIG_KEY
    story = make_story()
    from django.test import Client

    from live import grip as grip_module

    token = _sign({"iss": "pushpin", "exp": 2**40})
    response = Client().get(f"/stories/{story.slug}/live", headers={"Grip-Sig": token})
    assert grip_module.grip_proxied(response.wsgi_request)
    assert response["Grip-Hold"] == "stream"
    assert response["Grip-Channel"] == f"story-{story.pk}; prev-id={_latest()}"
    assert "timeout=" in response["Grip-Keep-Alive"]
    assert response.content == b""  # no backlog: it starts at the end of the log


def _sign(claims: dict) -> str:
    import base64
    import hashlib
    import hmac
    import json

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = part(json.dumps({"typ": "JWT", "alg": "HS256"}).encode()) + "." + part(json.dumps(claims).encode())
    return head + "." + part(hmac.new(SIG_KEY.encode(), head.encode(), hashlib.sha256).digest())


def test_a_forged_grip_sig_gets_the_direct_stream(transactional_db, settings, quick_streams):
    settings.GRIP_SIG_KEY = SIG_KEY
    from django.test import RequestFactory

    from live import grip as grip_module

    request = RequestFactory().get("/", headers={"Grip-Sig": _sign({"exp": 2**40})[:-2] + "xx"})
    assert not grip_module.grip_proxied(request)
    expired = RequestFactory().get("/", headers={"Grip-Sig": _sign({"exp": 1})})
    assert not grip_module.grip_proxied(expired)


def test_reconnecting_with_last_event_id_gets_the_backlog_then_live_ones(transactional_db, grip):
    story = make_story()
    start = _latest()
    made = [make_development(story=story) for _ in range(3)]
    backlog = list(Revision.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True))
    with SSEReader(f"{grip.url}/stories/{story.slug}/live", last_event_id=str(start)) as reader:
        assert reader.ids(3) == backlog
        make_development(story=story)
        assert reader.ids(1) == [_latest()]
    assert len(made) == 3


def test_a_publish_that_never_arrived_is_recovered_by_pushpin(transactional_db, grip, settings):
    story = make_story()
    with SSEReader(f"{grip.url}/stories/{story.slug}/live") as reader:
        reader.head_received.wait(10)
        settings.GRIP_URL = f"http://127.0.0.1:{free_port()}/"  # this publish is lost
        make_development(story=story)
        lost = _latest()
        settings.GRIP_URL = grip.publish_url
        make_development(story=story)
        # The next publish's prev-id names the lost one: Pushpin asks us for it.
        assert reader.ids(2, timeout=15) == [lost, _latest()]


def test_with_pushpin_down_edits_succeed_and_the_task_gives_up_after_its_retries(
        transactional_db, live_server, settings, caplog, celery_redis_worker):  # noqa: F811
    settings.GRIP_URL = f"http://127.0.0.1:{free_port()}/"
    settings.LIVE_PUBLISH_RETRIES = 2
    development = make_development(title="Shelling reported")
    with caplog.at_level(logging.WARNING, logger="live.tasks"):
        response = _api_edit(live_server.url, development, "Shelling of Stepanakert")
        assert response.json()["version"] == 2
        wait_for(lambda: f"giving up publishing revision {_latest()} after 2 retries" in caplog.text)


def test_after_pushpin_restarts_a_reader_catches_up_from_its_last_event_id(transactional_db, grip):
    story = make_story()
    with SSEReader(f"{grip.url}/stories/{story.slug}/live") as reader:
        reader.head_received.wait(10)
        make_development(story=story)
        [seen] = reader.ids(1)
        grip.stop()
        assert reader.closed.wait(10)
    make_development(story=story)  # while Pushpin is down: the edit still commits
    missed = _latest()
    grip.start()

    def reconnect() -> list[int] | None:
        # As EventSource does: a connection made while Pushpin's parts are still
        # coming up gets nothing, so the reader tries again with its last id.
        with SSEReader(f"{grip.url}/stories/{story.slug}/live", last_event_id=str(seen)) as reader:
            try:
                return reader.ids(1, timeout=5)
            except AssertionError:
                return None

    assert wait_for(reconnect, timeout=60, interval=0.5) == [missed]


def test_a_filtered_change_stream_through_pushpin_carries_each_named_story_and_no_other(
        transactional_db, grip):
    first, second, other = make_story(), make_story(), make_story()
    with SSEReader(f"{grip.url}/api/changes/stream?story={first.slug}&story={second.slug}") as reader:
        reader.head_received.wait(10)
        make_development(story=other)
        make_development(story=first)
        in_first = _latest()
        make_development(story=second)
        assert reader.ids(2) == [in_first, _latest()]


def test_the_whole_change_stream_through_pushpin_carries_revisions_without_a_story(
        transactional_db, grip):
    from tests.factories import make_actor

    with SSEReader(f"{grip.url}/api/changes/stream") as reader:
        reader.head_received.wait(10)
        make_actor()
        event = reader.next_event()
    assert (int(event.id), event.json["story"]) == (_latest(), None)
    assert event.json["items"][0]["type"] == "actor"


def test_an_idle_stream_through_pushpin_gets_keep_alive_comments(transactional_db, grip, settings):
    settings.LIVE_KEEPALIVE_SECONDS = 1
    story = make_story()
    with SSEReader(f"{grip.url}/stories/{story.slug}/live") as reader:
        assert reader.comments.get(timeout=5) == ""


def test_a_backlog_longer_than_a_page_reaches_the_reader_page_by_page_in_order(
        transactional_db, grip, monkeypatch):
    import live.views

    monkeypatch.setattr(live.views, "PAGE", 3)
    story = make_story()
    start = _latest()
    for _ in range(7):
        make_development(story=story)
    backlog = list(Revision.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True))
    with SSEReader(f"{grip.url}/stories/{story.slug}/live", last_event_id=str(start)) as reader:
        assert reader.ids(7) == backlog
        make_development(story=story)
        assert reader.ids(1) == [_latest()]
