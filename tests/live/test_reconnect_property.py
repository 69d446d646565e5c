"""Never miss, never invent: on PostgreSQL with concurrent writers, a reader that reconnects at random
points through Pushpin collects exactly the ids the change feed returns, in order."""

import random
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from record.models import Revision
from tests.factories import make_development, make_story
from tests.live.sse import SSEReader

WRITERS, EDITS_EACH = 4, 12


def _change_feed_ids(slug: str, after: int) -> list[int]:
    ids, client = [], APIClient()
    while True:
        page = client.get(f"/api/changes/?after={after}&story={slug}&limit=200").json()
        ids += [entry["id"] for entry in page["results"]]
        if not page["has_more"]:
            return ids
        after = page["last_id"]


def _write(story, errors: list) -> None:
    try:
        for _ in range(EDITS_EACH):
            make_development(story=story)
    except Exception as exc:  # noqa: BLE001 (reported by the test)
        errors.append(exc)
    finally:
        connection.close()


def test_a_reader_reconnecting_at_random_collects_exactly_the_change_feed(transactional_db, grip):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    rng = random.Random(15)
    story = make_story()
    start = Revision.objects.order_by("-id").first().id
    errors: list = []
    writers = [threading.Thread(target=_write, args=(story, errors)) for _ in range(WRITERS)]
    for writer in writers:
        writer.start()
    collected, last, reconnects = [], start, 0
    while True:
        done = not any(writer.is_alive() for writer in writers)
        final = Revision.objects.order_by("-id").values_list("id", flat=True).first() if done else None
        with SSEReader(f"{grip.url}/stories/{story.slug}/live", last_event_id=str(last)) as reader:
            for _ in range(rng.randint(1, 5)):
                try:
                    event = reader.next_event(timeout=2)
                except AssertionError:
                    break
                collected.append(int(event.id))
                last = int(event.id)
        reconnects += 1
        if done and last == final:
            break
        assert reconnects < 500, f"stuck at {last}"
    assert not errors
    expected = _change_feed_ids(story.slug, start)
    assert len(expected) == WRITERS * EDITS_EACH
    assert collected == expected
