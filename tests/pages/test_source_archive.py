"""The archived copy of a source: sandboxed on our origin, bannered, scripts off; the WARC for archivists."""

import hashlib
import io

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import services
from archive.models import Capture
from tests.archive.copies import framed
from tests.archive.origin import article, origin_allowed
from tests.factories import make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def origin(settings):
    with origin_allowed(settings) as site:
        yield site


def captured(origin, path: str, body: bytes, **answer):
    origin.serve(path, body, **answer)
    source = make_source(url=origin.url(path))
    services.source_capture(source.pk)
    return source


def test_the_archive_page_is_sandboxed_with_a_banner_saying_what_and_when(client, origin):
    source = captured(origin, "/report", article("Troops advanced."))
    response = client.get(f"/sources/{source.pk}/archive/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "script-src" not in policy and "default-src 'none'" in policy
    html = response.content.decode()
    assert "Archived copy, not the live page." in html
    copy = framed(client, html)
    assert copy["Content-Security-Policy"].startswith("sandbox;")
    assert "Troops advanced." in b"".join(copy.streaming_content).decode()
    capture = Capture.objects.get(source=source)
    assert capture.sha256 in html
    assert html.index("Archived copy") < html.index("<iframe")


def test_the_banner_escapes_the_sources_title(client, origin):
    origin.serve("/r", article("Text."))
    source = make_source(url=origin.url("/r"), title="<script>alert(1)</script>")
    services.source_capture(source.pk)
    html = client.get(f"/sources/{source.pk}/archive/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_pdf_is_served_as_captured(client, origin):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    source = captured(origin, "/s.pdf", pdf, content_type="application/pdf")
    response = client.get(f"/sources/{source.pk}/archive/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == pdf
    assert response["Content-Security-Policy"].startswith("sandbox;")


def test_plain_text_is_served_as_captured(client, origin):
    source = captured(origin, "/t.txt", b"Statement: <b>not markup</b>",
                      content_type="text/plain; charset=utf-8")
    response = client.get(f"/sources/{source.pk}/archive/")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"Statement: <b>not markup</b>"


def test_the_warc_download_opens_in_warcio_with_the_payload_the_server_sent(client, origin):
    body = article("Evacuation began.")
    source = captured(origin, "/report", body)
    response = client.get(f"/sources/{source.pk}/archive.warc.gz")
    assert response["Content-Type"] == "application/warc"
    data = b"".join(response.streaming_content)
    payloads = [record.content_stream().read() for record in ArchiveIterator(io.BytesIO(data))
                if record.rec_type == "response"]
    assert [hashlib.sha256(p).hexdigest() for p in payloads] == [hashlib.sha256(body).hexdigest()]


def test_a_source_without_an_archived_copy_is_a_404(client):
    source = make_source(url="https://news.example.org/a")
    assert client.get(f"/sources/{source.pk}/archive/").status_code == 404
    assert client.get(f"/sources/{source.pk}/archive.warc.gz").status_code == 404
    for bad in ("abc", "²", "9" * 40, "-1"):
        assert client.get(f"/sources/{source.pk}/archive/?capture={bad}").status_code == 404
