"""Streams that reach gunicorn's sync workers without Pushpin in front hold no worker."""

import re
from pathlib import Path

import pytest
import requests

from record.models import Revision
from tests.factories import make_development, make_story
from tests.gunicorn import gunicorn
from tests.live.sse import SSEReader

ROOT = Path(__file__).resolve().parents[2]


def _compose_workers() -> int:
    """web's gunicorn worker count in docker-compose.yml (its sync workers: no --worker-class)."""
    command = (ROOT / "docker-compose.yml").read_text()
    assert "--worker-class" not in command
    return int(re.search(r"gunicorn tracker\.wsgi:application .*--workers (\d+)", command).group(1))


@pytest.fixture(scope="module")
def sync_server(django_db_setup):
    # One server for the module: it only needs the test database's name, not a test's rows.
    with gunicorn(workers=_compose_workers()) as base:
        yield base


@pytest.fixture
def sync_gunicorn(sync_server, transactional_db):
    return sync_server


def test_three_live_streams_do_not_stall_gunicorn_with_sync_workers(sync_gunicorn):
    story = make_story()
    readers = [SSEReader(f"{sync_gunicorn}/stories/{story.slug}/live") for _ in range(3)]
    try:
        for reader in readers:
            assert reader.head_received.wait(10) and reader.status == 200
        # Every worker would be holding a stream here if streams were held.
        page = requests.get(f"{sync_gunicorn}/", timeout=10)
        assert page.status_code == 200
    finally:
        for reader in readers:
            reader.close()


def test_a_stream_on_a_sync_worker_sends_the_backlog_and_the_cursor_then_ends(sync_gunicorn):
    story = make_story()
    start = Revision.objects.order_by("-id").first().id
    make_development(story=story)
    latest = Revision.objects.order_by("-id").first().id
    with SSEReader(f"{sync_gunicorn}/stories/{story.slug}/live", last_event_id=str(start)) as reader:
        assert int(reader.next_event(timeout=10).id) == latest
        assert reader.closed.wait(10)  # the worker is free again
    assert reader.last_event_id == str(latest) and reader.retry > 0  # EventSource resumes from here


def test_a_stream_without_a_cursor_on_a_sync_worker_resumes_from_the_end_of_the_log(sync_gunicorn):
    story = make_story()
    latest = Revision.objects.order_by("-id").first().id
    with SSEReader(f"{sync_gunicorn}/stories/{story.slug}/live") as reader:
        assert reader.closed.wait(10)
    # A revision committed before the reader comes back is then not missed.
    assert reader.last_event_id == str(latest)
