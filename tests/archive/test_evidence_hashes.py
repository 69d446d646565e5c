"""Evidence hashes are computed from the WARC that is kept, never trusted from a row (issue 24: 18)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from archive import services, warc
from archive.models import Capture
from tests.archive.origin import article
from tests.factories import make_source
from tracker.outbound import Fetched

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

FORGED = article("Nothing happened on Tuesday.")


def captured(origin) -> Capture:
    origin.serve("/report", article("Troops advanced."))
    source = make_source(url=origin.url("/report"))
    return services.source_capture(source.pk)


def swap_evidence(capture: Capture, body: bytes = FORGED) -> None:
    """Whoever can write the storage replaces the WARC file under the same name."""
    forged = Fetched(url=capture.requested_url, method="GET", request_headers=[], status_code=200,
                     reason="OK", headers=[("Content-Type", "text/html; charset=utf-8")], body=body)
    storage, name = capture.warc.storage, capture.warc.name
    storage.delete(name)
    assert storage.save(name, ContentFile(warc.warc_bytes(forged, captured_at=capture.captured_at))) == name


def test_the_banner_shows_the_hash_of_the_warc_served(origin, client):
    capture = captured(origin)
    swap_evidence(capture)
    html = client.get(f"/sources/{capture.source_id}/archive/").content.decode()
    served = hashlib.sha256(FORGED).hexdigest()
    assert f'computed from the WARC file served: <code class="hash">{served}' in html
    assert "does not match the hash the log holds" in html and capture.sha256 in html


def test_the_banner_says_nothing_of_a_mismatch_when_the_warc_is_as_kept(origin, client):
    capture = captured(origin)
    html = client.get(f"/sources/{capture.source_id}/archive/").content.decode()
    assert capture.sha256 in html and "does not match" not in html


def test_verify_log_checks_every_kept_warc(origin):
    captured(origin)
    out = io.StringIO()
    call_command("verify_log", stdout=out)
    assert "1 WARC file(s) match" in out.getvalue()


def test_verify_log_names_a_swapped_warc(origin):
    capture = captured(origin)
    swap_evidence(capture)
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_log", stdout=io.StringIO(), stderr=stderr)
    problem = stderr.getvalue()
    assert f"source {capture.source_id}, capture {capture.pk}" in problem
    assert hashlib.sha256(FORGED).hexdigest() in problem and capture.sha256 in problem


def test_verify_log_names_a_missing_warc(origin):
    capture = captured(origin)
    capture.warc.storage.delete(capture.warc.name)
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_log", stdout=io.StringIO(), stderr=stderr)
    assert f"capture {capture.pk}" in stderr.getvalue() and "cannot be read" in stderr.getvalue()
