"""A poller's repeated change-feed page, or its 304, waits on nothing: no SQL, no Redis command."""

from __future__ import annotations

import threading

import pytest
import requests
from django.db import connection, connections  # noqa: F401 (the skipif condition reads connections)
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.changefeed import KeptPage, KeptPages, kept_pages
from edge import watch
from record.models import Revision
from record.selectors import latest_revision_id
from tests.factories import make_development
from tests.gunicorn import gunicorn
from tests.queries import count_redis_round_trips
from tests.waiting import wait_for

URL = "/api/changes/?after=0"


POSTGRESQL = pytest.mark.skipif("connections['default'].vendor != 'postgresql'")


def _silently(client, **headers):
    with CaptureQueriesContext(connection) as queries, count_redis_round_trips() as redis:
        response = client.get(URL, **headers)
    return response, len(queries), len(redis)


@POSTGRESQL
def test_a_repeated_poll_runs_no_query_and_no_redis_command(client, listening_on_redis):
    first = client.get(URL)
    response, queries, redis = _silently(client)
    assert (response.status_code, queries, redis) == (200, 0, 0)
    assert response.content == first.content


@POSTGRESQL
def test_a_304_runs_no_query_and_no_redis_command(client, listening_on_redis):
    etag = client.get(URL)["ETag"]
    response, queries, redis = _silently(client, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, queries, redis) == (304, 0, 0)


@POSTGRESQL
def test_the_page_from_memory_is_what_drf_sent_header_for_header(client, listening_on_redis):
    first = client.get(URL)
    again = client.get(URL)
    assert again.content == first.content
    assert {k: v for k, v in again.headers.items() if k != "Date"} == \
        {k: v for k, v in first.headers.items() if k != "Date"}


def _headers(response) -> dict:
    return {k: v for k, v in response.headers.items() if k != "Date"}


@POSTGRESQL
def test_the_304_from_memory_is_what_drf_sent_header_for_header(client, listening_on_redis):
    etag = client.get(URL)["ETag"]
    kept_pages.clear()
    first = client.get(URL, HTTP_IF_NONE_MATCH=etag)  # the ordinary path's 304 (and the page kept again)
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert (first.status_code, again.status_code) == (304, 304)
    assert _headers(again) == _headers(first)


@POSTGRESQL
def test_a_kept_page_still_refuses_a_failed_if_match(client, listening_on_redis):
    client.get(URL)
    response = client.get(URL, HTTP_IF_MATCH='"another"')
    assert response.status_code == 412


@POSTGRESQL
def test_a_new_revision_is_a_new_page(client, listening_on_redis):
    etag = client.get(URL)["ETag"]
    development = make_development(title="Later news")
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["last_id"] == latest_revision_id()
    assert development.title in response.content.decode()


@POSTGRESQL
def test_a_signed_in_poll_takes_the_ordinary_path(client, listening_on_redis, django_user_model):
    client.get(URL)
    client.force_login(django_user_model.objects.create_user("desk", password="unused-password"))
    _, queries, _ = _silently(client)
    assert queries > 0


@POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_poller_of_two_listening_workers_sees_every_revision_once_while_others_commit():
    """The server learns of these commits only by NOTIFY (they are made in this process)."""
    development = make_development()
    start = latest_revision_id()
    errors, seen = [], []

    def write(prefix):
        try:
            for n in range(12):
                make_development(development.story, title=f"{prefix} {n}")
        except BaseException as exc:  # noqa: BLE001 (reported to the main thread)
            errors.append(exc)
        finally:
            connections.close_all()

    served_from = timezone.now()
    with gunicorn(env={"EDGE_LATEST_LISTEN": "1"}) as base:
        session = requests.Session()
        writers = [threading.Thread(target=write, args=(name,)) for name in ("A", "B")]
        for thread in writers:
            thread.start()
        after = start
        while any(thread.is_alive() for thread in writers):
            page = session.get(f"{base}/api/changes/", params={"after": after, "limit": 4}, timeout=30).json()
            seen += [entry["id"] for entry in page["results"]]
            after = page["last_id"]
        for thread in writers:
            thread.join()
        newest = latest_revision_id()

        def caught_up():  # within the listener's bound of the last commit
            nonlocal after
            page = session.get(f"{base}/api/changes/", params={"after": after, "limit": 4}, timeout=30).json()
            seen.extend(entry["id"] for entry in page["results"])
            after = page["last_id"]
            return after == newest

        wait_for(caught_up, timeout=2)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                           "AND backend_start >= %s", [watch.APPLICATION_NAME, served_from])
            assert cursor.fetchone()[0] == 2  # one listener per worker
    assert not errors, errors
    assert seen == list(Revision.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True))


@pytest.mark.sqlite
def test_without_a_listener_each_poll_reads_the_new_revision(client, db, django_capture_on_commit_callbacks):
    assert watch.watcher() is None  # SQLite (or EDGE_LATEST_LISTEN off, as in the suite)
    etag = client.get(URL)["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        make_development(title="Later news")
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Later news" in response.content.decode()


def test_kept_pages_stay_within_their_bytes_least_recently_used_out_first(settings):
    settings.API_CHANGES_LOCAL_BYTES = 25
    pages = KeptPages()
    for etag in ("a", "b"):
        pages.put(etag, KeptPage(b"x" * 10, (), etag))
    pages.get("a")  # used again: "b" is now the oldest
    pages.put("c", KeptPage(b"x" * 10, (), "c"))
    assert [pages.get(etag) is not None for etag in ("a", "b", "c")] == [True, False, True]
