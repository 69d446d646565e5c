"""A repeated plain poll of the change feed is replayed before the middlewares, as they answered it."""

from __future__ import annotations

import socket
import urllib.parse

import pytest
from django.db import connections  # noqa: F401 (the skipif condition reads it)
from django.test import Client, RequestFactory

from api.changefeed import ChangeFeedView, kept_key, kept_pages
from api.common import etag_after
from api.repeat_polls import plain_poll
from edge import watch
from record.selectors import latest_revision_id
from tests.factories import make_development
from tests.gunicorn import gunicorn
from tests.waiting import wait_for

URL = "/api/changes/?after=0"

POSTGRESQL = pytest.mark.skipif("connections['default'].vendor != 'postgresql'")


@pytest.fixture
def views(monkeypatch) -> list:
    """Each request that reached the view (the ordinary path): none for an answer replayed before it."""
    reached = []
    dispatch = ChangeFeedView.dispatch

    def counted(self, request, *args, **kwargs):
        reached.append(request)
        return dispatch(self, request, *args, **kwargs)

    monkeypatch.setattr(ChangeFeedView, "dispatch", counted)
    return reached


@pytest.fixture
def replayed(client, listening_on_redis, views):
    """The poll's 200 and 304 as the ordinary path sent them, recorded: the next ones are replays."""
    etag = client.get(URL)["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    views.clear()
    return etag


def _sent(response) -> tuple:
    return response.status_code, dict(response.headers.items()), response.content


# --- Replayed, and the same as the ordinary path ---------------------------------------


@POSTGRESQL
def test_a_repeated_poll_is_answered_before_the_view(client, replayed, views):
    assert client.get(URL).status_code == 200
    assert views == []


@POSTGRESQL
def test_a_repeated_304_is_answered_before_the_view(client, replayed, views):
    assert client.get(URL, HTTP_IF_NONE_MATCH=replayed).status_code == 304
    assert views == []


@POSTGRESQL
def test_the_replayed_200_is_what_the_ordinary_path_sends_header_for_header_byte_for_byte(
        client, replayed, views):
    replay = client.get(URL)
    kept_pages.clear()  # forgotten: the same request takes the ordinary path, DRF and every middleware
    ordinary = client.get(URL)
    assert len(views) == 1
    assert _sent(replay) == _sent(ordinary)


@POSTGRESQL
def test_the_replayed_304_is_what_the_ordinary_path_sends_header_for_header(client, replayed, views):
    replay = client.get(URL, HTTP_IF_NONE_MATCH=replayed)
    kept_pages.clear()
    ordinary = client.get(URL, HTTP_IF_NONE_MATCH=replayed)
    assert len(views) == 1
    assert _sent(replay) == _sent(ordinary)


def _raw(base: str, path: str, *headers: str) -> bytes:
    """The response's bytes as they came off the wire, less its Date line."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    request = "\r\n".join([f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close", *headers])
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"{request}\r\n\r\n".encode())
        received = b"".join(iter(lambda: sock.recv(65536), b""))
    return b"\r\n".join(line for line in received.split(b"\r\n") if not line.lower().startswith(b"date:"))


@POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_on_the_wire_every_answer_to_the_same_poll_is_the_same_bytes_replayed_or_not():
    make_development()
    with gunicorn(workers=1, env={"EDGE_LATEST_LISTEN": "1"}) as base:
        wait_for(lambda: f'"last_id":{latest_revision_id()}'.encode() in _raw(base, URL), timeout=10)
        ok = [_raw(base, URL) for _ in range(3)]  # the first kept and recorded, then replayed
        etag = next(line for line in ok[0].split(b"\r\n") if line.lower().startswith(b"etag:"))
        not_modified = [_raw(base, URL, f"If-None-Match: {etag[5:].strip().decode()}") for _ in range(3)]
    assert ok[0].startswith(b"HTTP/1.1 200 OK") and ok[1:] == [ok[0]] * 2
    assert not_modified[0].startswith(b"HTTP/1.1 304 Not Modified")
    assert not_modified[1:] == [not_modified[0]] * 2


# --- Every other request takes the ordinary path -----------------------------------------


@POSTGRESQL
def test_a_poll_with_a_cookie_takes_the_ordinary_path(client, replayed, views):
    response = client.get(URL, HTTP_COOKIE="sessionid=someone")
    assert len(views) == 1
    assert response["Cache-Control"] == "private, no-store"


@POSTGRESQL
def test_a_poll_with_authorization_takes_the_ordinary_path(client, replayed, views):
    response = client.get(URL, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert len(views) == 1
    assert response.status_code == 401


@POSTGRESQL
def test_a_poll_with_another_accept_takes_the_ordinary_path(client, replayed, views):
    response = client.get(URL, HTTP_ACCEPT="application/json; indent=2")
    assert len(views) == 1
    assert response.status_code == 200 and b"\n" not in response.content  # one representation


@POSTGRESQL
def test_a_poll_naming_a_format_takes_the_ordinary_path_even_when_its_page_is_kept(client, replayed, views):
    formatted = f"{URL}&format=json"
    page = kept_pages.get(kept_key("http", "testserver", replayed))
    # Kept as if under this URL too: only the `format` rule can keep the fast path from it.
    kept_pages.put(kept_key("http", "testserver", etag_after(watch.known(), formatted, "application/json")),
                   page)
    client.get(formatted)
    assert len(views) == 1


@POSTGRESQL
def test_a_poll_without_the_listener_vouching_takes_the_ordinary_path(client, replayed, views, monkeypatch):
    monkeypatch.setattr(watch, "known", lambda: None)
    assert client.get(URL, HTTP_IF_NONE_MATCH=replayed).status_code == 304
    assert len(views) == 1


@POSTGRESQL
def test_a_poll_over_the_budget_is_refused_though_its_answer_is_recorded(client, listening_on_redis, views,
                                                                         monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(views) == 2  # the first (recorded) and the refused one: the replays were counted too


@POSTGRESQL
def test_a_poll_after_a_new_revision_takes_the_ordinary_path_and_gets_it(client, replayed, views):
    development = make_development(title="Later news")
    wait_for(lambda: watch.known() == latest_revision_id(), timeout=10)
    response = client.get(URL, HTTP_IF_NONE_MATCH=replayed)
    assert (len(views), response.status_code) == (1, 200)
    assert development.title in response.content.decode()


@POSTGRESQL
def test_a_poll_to_a_host_no_longer_allowed_is_refused(client, replayed, settings):
    settings.ALLOWED_HOSTS = ["elsewhere.example"]
    assert client.get(URL).status_code == 400


@POSTGRESQL
def test_a_failed_if_match_takes_the_ordinary_path(client, replayed, views):
    assert client.get(URL, HTTP_IF_MATCH='"another"').status_code == 412
    assert len(views) == 1


@POSTGRESQL
def test_the_ssl_redirect_still_comes_first(replayed, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get(URL).status_code == 301  # a new client: SecurityMiddleware reads it when loaded


# --- What counts as a plain poll ------------------------------------------------------------


def test_a_bare_get_of_the_feed_is_a_plain_poll(rf: RequestFactory):
    assert plain_poll(rf.get(URL, HTTP_ACCEPT="application/json"))


@pytest.mark.parametrize(("method", "path", "headers"), [
    ("post", URL, {}),
    ("head", URL, {}),
    ("get", "/api/changes?after=0", {}),
    ("get", "/api/changes/x/?after=0", {}),
    ("get", "/api/stories/", {}),
    ("get", URL, {"HTTP_COOKIE": "csrftoken=x"}),
    ("get", URL, {"HTTP_COOKIE": "anything=else"}),
    ("get", URL, {"HTTP_AUTHORIZATION": "Token x"}),
    ("get", URL, {"HTTP_ACCEPT": "text/html"}),
    ("get", URL, {"HTTP_ACCEPT": "application/json; indent=2"}),
    ("get", f"{URL}&format=json", {}),
    ("get", f"{URL}&%66ormat=json", {}),
])
def test_anything_else_is_not_a_plain_poll(rf: RequestFactory, method, path, headers):
    assert not plain_poll(getattr(rf, method)(path, **headers))


@POSTGRESQL
def test_a_poll_that_drf_authenticates_otherwise_takes_the_ordinary_path(replayed, views, reader):
    from rest_framework.test import APIClient

    signed_in = APIClient()
    signed_in.force_authenticate(reader)  # neither a cookie nor Authorization: DRF's own say
    signed_in.get(URL)
    assert len(views) == 1


@pytest.mark.urls("tests.api.urls_without_the_feed")
def test_urls_without_the_feed_have_no_plain_poll(rf: RequestFactory):
    assert not plain_poll(rf.get(URL))
