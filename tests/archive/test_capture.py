"""Capture at citation: a WARC with the request and response, its hash in the source's next version."""

import hashlib

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import services
from archive.models import Capture
from events import services as event_services
from events.models import Source
from record.models import Revision
from tests.archive.copies import archived_copy
from tests.archive.origin import article
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_new_source_is_captured_as_a_warc_whose_payload_hash_is_what_the_server_sent(cite, origin):
    body = article("Azerbaijan announced anti-terrorist measures.")
    origin.serve("/report", body)
    source = cite(origin.url("/report"))
    capture = Capture.objects.get(source=source)
    assert capture.outcome == Capture.Outcome.CAPTURED
    assert capture.sha256 == hashlib.sha256(body).hexdigest()
    with capture.warc.open("rb") as stream:
        records = [(record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                    record.content_stream().read()) for record in ArchiveIterator(stream)]
    assert sorted(kind for kind, _, _ in records) == ["request", "response"]
    _, uri, payload = next(record for record in records if record[0] == "response")
    assert hashlib.sha256(payload).hexdigest() == hashlib.sha256(body).hexdigest()
    assert uri == origin.url("/report")


def test_the_capture_becomes_the_sources_next_version_in_a_capture_revision(cite, origin):
    origin.serve("/report", article("Shelling was reported."))
    source = cite(origin.url("/report"))
    source.refresh_from_db()
    capture = Capture.objects.get(source=source)
    assert source.version == 2
    assert source.archive_sha256 == capture.sha256
    assert source.archived_at == capture.captured_at
    assert source.archive_status == Source.ArchiveStatus.ARCHIVED
    version = source.history.get(version=2)
    assert version.revision.kind == Revision.Kind.CAPTURE
    assert version.revision.author.username == services.SYSTEM_USERNAME


def test_a_changed_url_is_captured_again(committed, cite, origin):
    origin.serve("/a", article("First report."))
    origin.serve("/b", article("Second report."))
    source = cite(origin.url("/a"))
    source.refresh_from_db()
    committed(event_services.source_update, author=make_user(), source=source,
              base_version=source.version, message="Moved", changes={"url": origin.url("/b")})
    source.refresh_from_db()
    assert Capture.objects.filter(source=source).count() == 2
    assert source.archive_sha256 == hashlib.sha256(article("Second report.")).hexdigest()


def test_an_edit_that_keeps_the_url_captures_nothing(committed, cite, origin):
    origin.serve("/a", article("First report."))
    source = cite(origin.url("/a"))
    source.refresh_from_db()
    committed(event_services.source_update, author=make_user(), source=source,
              base_version=source.version, message="Better title", changes={"title": "Renamed"})
    assert Capture.objects.filter(source=source).count() == 1


def test_a_capture_that_fails_never_blocks_the_editors_save(cite, origin):
    origin.hang("/slow")
    source = cite(origin.url("/slow"))
    assert Source.objects.get(pk=source.pk).version == 1
    capture = Capture.objects.get(source=source)
    assert capture.outcome == Capture.Outcome.FAILED
    assert "timed out" in capture.error.lower() or "timeout" in capture.error.lower()
    assert not capture.warc


def test_private_targets_are_refused_unless_allowed(cite, origin, settings):
    settings.OUTBOUND_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    origin.serve("/report", article("Text."))
    source = cite(origin.url("/report"))
    capture = Capture.objects.get(source=source)
    assert capture.outcome == Capture.Outcome.FAILED
    assert "loopback" in capture.error
    assert origin.requests == []


def test_a_redirect_is_checked_like_the_first_hop(cite, origin):
    # Loopback is allowed here (the origin runs there), the metadata address never is.
    origin.serve("/moved", b"", status=302, headers=[("Location", "http://169.254.169.254/latest/")])
    capture = Capture.objects.get(source=cite(origin.url("/moved")))
    assert capture.outcome == Capture.Outcome.FAILED
    assert "cloud metadata" in capture.error


def test_a_redirect_to_a_public_page_is_followed_and_the_final_url_kept(cite, origin):
    origin.serve("/old", b"", status=301, headers=[("Location", "/new")])
    origin.serve("/new", article("Moved here."))
    capture = Capture.objects.get(source=cite(origin.url("/old")))
    assert capture.outcome == Capture.Outcome.CAPTURED
    assert capture.final_url == origin.url("/new")


def test_an_oversize_body_is_cut_and_marked_truncated(cite, origin, settings):
    settings.OUTBOUND_MAX_BYTES = 1000
    origin.serve("/big", b"x" * 5000, content_type="text/plain")
    source = cite(origin.url("/big"))
    capture = Capture.objects.get(source=source)
    assert capture.truncated and capture.size == 1000
    assert capture.sha256 == hashlib.sha256(b"x" * 1000).hexdigest()
    with capture.warc.open("rb") as stream:
        response = next(r for r in ArchiveIterator(stream) if r.rec_type == "response")
        assert response.rec_headers.get_header("WARC-Truncated") == "length"


def test_a_pdf_is_stored_as_it_is(cite, origin):
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    origin.serve("/statement.pdf", pdf, content_type="application/pdf")
    source = cite(origin.url("/statement.pdf"))
    capture = Capture.objects.get(source=source)
    assert capture.content_type == "application/pdf"
    with capture.warc.open("rb") as stream:
        response = next(r for r in ArchiveIterator(stream) if r.rec_type == "response")
        assert response.content_stream().read() == pdf


def test_captures_are_append_only(cite, origin):
    from django.db import DatabaseError, transaction

    origin.serve("/report", article("Text."))
    capture = Capture.objects.get(source=cite(origin.url("/report")))
    with pytest.raises(DatabaseError), transaction.atomic():
        Capture.objects.filter(pk=capture.pk).update(sha256="0" * 64)


def test_a_charset_python_does_not_know_is_read_as_utf8(cite, origin, client):
    origin.serve("/odd", article("Text."), content_type="text/html; charset=x-no-such-charset")
    source = cite(origin.url("/odd"))
    assert Capture.objects.get(source=source).outcome == Capture.Outcome.CAPTURED
    assert b"Offensive in Karabakh" in archived_copy(client, source.pk)
