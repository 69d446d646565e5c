"""Cited pages that fight back: a gzip bomb, a trickled body, a charset that is not one (issue 24: 8, 9, 11).

Every origin here is a real HTTP server on loopback (tests/archive/origin.py).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import socket
import threading
import time
import tracemalloc
import zlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from archive import selectors, services, text
from archive.models import Capture
from events.models import Source
from tests.archive.copies import archived_copy
from tests.archive.origin import article
from tests.factories import make_claim, make_source
from tracker import outbound

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

LIMIT = 1024 * 1024  # OUTBOUND_MAX_BYTES in these tests
BOMB_SIZE = 200 * 1024 * 1024  # 200 MB of spaces, gzip'd to some 200 KB


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """200 MB of spaces in an HTML page, gzip'd a megabyte at a time (never 200 MB in memory)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    out = io.BytesIO()
    out.write(squeeze.compress(b"<!doctype html><html><body><p>Boom</p>"))
    spaces = b" " * (1024 * 1024)
    for _ in range(BOMB_SIZE // len(spaces)):
        out.write(squeeze.compress(spaces))
    out.write(squeeze.compress(b"</body></html>") + squeeze.flush())
    return out.getvalue()


@pytest.fixture
def limited(settings):
    settings.OUTBOUND_MAX_BYTES = LIMIT
    # The extractor loads its word lists (some 30 MB) once per process: not the page's cost.
    text.main_text(article("Warm."), "text/html")


def serve_bomb(origin, bomb: bytes, path: str = "/bomb") -> str:
    origin.serve(path, bomb, content_type="text/html; charset=utf-8", headers=[("Content-Encoding", "gzip")])
    return origin.url(path)


def test_a_gzip_bomb_is_cut_at_the_size_limit_decoded(origin, bomb, limited):
    fetched = outbound.request("GET", serve_bomb(origin, bomb))
    assert fetched.truncated
    # What is kept decodes to no more than the limit (and so is a fraction of the bomb).
    assert len(fetched.body) < len(bomb)
    assert len(text.decoded(fetched.body, "gzip")) <= LIMIT


def test_a_captured_gzip_bomb_is_marked_truncated_and_served_within_the_limit(origin, bomb, limited, client):
    source = make_source(url=serve_bomb(origin, bomb))
    capture = services.source_capture(source.pk)
    assert capture.outcome == Capture.Outcome.CAPTURED and capture.truncated
    assert "(cut at the size limit)" in client.get(f"/sources/{source.pk}/archive/").content.decode()
    assert len(archived_copy(client, source.pk)) <= LIMIT


def stored_bomb(source: Source, bomb: bytes) -> Capture:
    """A capture of the whole bomb, as one kept before the limit counted decoded bytes."""
    fetched = outbound.Fetched(
        url=source.url, method="GET", request_headers=[], status_code=200, reason="OK",
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")], body=bomb)
    capture = services._capture(source, fetched, reason=Capture.Reason.CITATION,
                                outcome=Capture.Outcome.CAPTURED, at=timezone.now())
    services.warc_store(capture, fetched)
    capture.save()
    services.sources_note([services.citation_note(source, capture)])
    return capture


def test_a_stored_gzip_bomb_is_served_and_read_within_the_limit(bomb, limited, client):
    source = make_source(url="https://news.example.org/bomb")
    capture = stored_bomb(source, bomb)
    tracemalloc.start()
    try:
        served = archived_copy(client, source.pk)
        main = selectors.capture_text(capture)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(served) <= LIMIT
    assert main == "Boom"
    # The bomb decodes to 200 MB; serving and reading it hold a few times the limit at most.
    assert peak < 8 * LIMIT


def test_a_watched_gzip_bomb_is_compared_within_the_limit(origin, bomb, limited):
    source = make_source(url=serve_bomb(origin, bomb))
    services.source_capture(source.pk)
    tracemalloc.start()
    try:
        check = services.source_check(source.pk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert check.outcome == Capture.Outcome.UNCHANGED and check.truncated
    assert peak < 8 * LIMIT


def gives_up_within(seconds: float, fn, *args):
    """fn(*args), failing the test if it took longer than `seconds` (a deadline, not a sleep)."""
    started = time.monotonic()
    result = fn(*args)
    took = time.monotonic() - started
    assert took < seconds, f"took {took:.1f}s, the limit is {seconds}s"
    return result


def test_a_body_trickled_a_byte_a_second_is_cut_at_the_time_limit(origin, settings):
    settings.OUTBOUND_TIMEOUT_SECONDS = 2
    origin.trickle("/slow", b"x" * 40, every=1.0)
    fetched = gives_up_within(2 + 1.5, outbound.request, "GET", origin.url("/slow"))
    assert fetched.status_code is None
    assert "within 2 s" in fetched.error


def test_a_capture_of_a_trickled_page_fails_at_the_time_limit(origin, settings):
    settings.OUTBOUND_TIMEOUT_SECONDS = 2
    origin.trickle("/slow", article("Slowly."), every=1.0)
    source = make_source(url=origin.url("/slow"))
    capture = gives_up_within(2 + 1.5, services.source_capture, source.pk)
    assert capture.outcome == Capture.Outcome.FAILED
    assert "within 2 s" in capture.error


def test_the_webhook_test_endpoint_gives_up_at_the_webhook_time_limit(origin, settings):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.digests.webhook_support import make_webhook_subscription
    from tests.factories import make_user

    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    origin.trickle("/hook", b"ok" * 20, every=1.0)
    owner = make_user()
    subscription, _ = make_webhook_subscription(origin.url("/hook"), owner=owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")
    response = gives_up_within(2 + 1.5, api.post, f"/api/subscriptions/{subscription.id}/test/")
    assert response.status_code == 200
    assert response.json()["succeeded"] is False


ODD_CHARSETS = ["base64", "idna", "rot13", "hex", "zlib"]


@pytest.mark.parametrize("charset", ODD_CHARSETS)
def test_a_charset_that_is_not_a_text_encoding_is_read_as_utf8(origin, client, charset):
    origin.serve("/odd", article("Text."), content_type=f"text/html; charset={charset}")
    source = make_source(url=origin.url("/odd"))
    services.source_capture(source.pk)
    assert client.get(f"/sources/{source.pk}/archive/").status_code == 200
    assert b"Offensive in Karabakh" in archived_copy(client, source.pk)
    assert text.charset_of(f"text/html; charset={charset}") == "utf-8"


@pytest.mark.parametrize("charset", ODD_CHARSETS)
def test_odd_plain_text_is_served_as_utf8(origin, client, charset):
    origin.serve("/odd.txt", b"A statement.", content_type=f"text/csv; charset={charset}")
    source = make_source(url=origin.url("/odd.txt"))
    services.source_capture(source.pk)
    response = client.get(f"/sources/{source.pk}/archive/")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_recheck_goes_on_past_a_source_that_breaks(origin, monkeypatch):
    origin.serve("/a", article("First."))
    origin.serve("/b", article("Second."))
    first, second = make_source(url=origin.url("/a")), make_source(url=origin.url("/b"))
    make_claim(sources=[first, second])
    services.source_capture(first.pk)
    services.source_capture(second.pk)
    checked = services.source_check

    def breaks_on_first(source_id):
        if source_id == first.pk:
            raise LookupError("unknown encoding: something odd")
        return checked(source_id)

    monkeypatch.setattr(services, "source_check", breaks_on_first)
    out = io.StringIO()
    call_command("capture_sources", "--recheck", stdout=out)
    assert Capture.objects.filter(source=second, reason=Capture.Reason.CHECK).exists()
    assert "1 skipped" in out.getvalue()


@pytest.mark.parametrize("charset", ODD_CHARSETS)
def test_a_recheck_of_a_page_with_an_odd_charset_is_a_check(origin, charset):
    origin.serve("/odd", article("Text."), content_type=f"text/html; charset={charset}")
    source = make_source(url=origin.url("/odd"))
    make_claim(sources=[source])
    services.source_capture(source.pk)
    call_command("capture_sources", "--recheck", stdout=io.StringIO())
    check = Capture.objects.get(source=source, reason=Capture.Reason.CHECK)
    assert check.outcome == Capture.Outcome.UNCHANGED


def test_gzip_is_read_whole_below_the_limit():
    body = gzip.compress(b"a" * 1000)
    assert text.decoded(body, "gzip") == b"a" * 1000
    assert outbound.decoded(body, "gzip", 10) == (b"a" * 10, True)


@pytest.fixture
def header_trickler():
    """A real server on loopback that answers its status line, then a header one byte a second."""
    closing = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        with contextlib.suppress(OSError):
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not closing.wait(1.0):
                    connection.sendall(b"a")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    closing.set()
    listener.close()


def test_headers_trickled_a_byte_a_second_are_cut_at_the_time_limit(header_trickler, settings):
    settings.OUTBOUND_ALLOW_PRIVATE_TARGETS = True
    settings.OUTBOUND_TIMEOUT_SECONDS = 2
    fetched = gives_up_within(2 + 1.5, outbound.request, "GET", header_trickler)
    assert fetched.status_code is None and "within 2 s" in fetched.error
