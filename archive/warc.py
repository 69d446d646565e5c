"""WARC files (ISO 28500, warcio): a request and a response record per capture, gzip'd; read back."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tracker.outbound import Fetched

# The payload is stored as it came off the wire, minus the chunking urllib3
# already undid: the original header is renamed, as web archives do, so a
# replay tool does not try to de-chunk it again.
_RENAMED = {"transfer-encoding"}


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def warc_bytes(fetched: Fetched, *, captured_at: dt.datetime) -> bytes:
    """The gzip'd WARC of one fetch: a warcinfo-free pair of request and response records."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = [(f"X-Archive-Orig-{name}" if name.lower() in _RENAMED else name, value)
               for name, value in fetched.headers]
    status = f"{fetched.status_code} {fetched.reason}".strip()
    warc_headers = {"WARC-Date": _iso(captured_at)}
    if fetched.truncated:
        warc_headers["WARC-Truncated"] = "length"
    response = writer.create_warc_record(
        fetched.url, "response", payload=io.BytesIO(fetched.body),
        http_headers=StatusAndHeaders(status, headers, protocol=fetched.http_version),
        warc_headers_dict=dict(warc_headers),
    )
    parts = urlsplit(fetched.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = writer.create_warc_record(
        fetched.url, "request", payload=io.BytesIO(b""),
        http_headers=StatusAndHeaders(f"{fetched.method} {target} HTTP/1.1", fetched.request_headers,
                                      is_http_request=True),
        warc_headers_dict={"WARC-Date": _iso(captured_at)},
    )
    writer.write_request_response_pair(request, response)
    return buffer.getvalue()


def warc_name(source_id: int, captured_at: dt.datetime, sha256: str) -> str:
    return f"sources/{source_id}/{captured_at:%Y%m%dT%H%M%S}-{sha256[:12]}-{uuid.uuid4().hex[:8]}.warc.gz"


@dataclass(frozen=True)
class Replayed:
    """The response record of a WARC: what the page was, as a reader is shown it."""

    url: str
    status: str
    content_type: str
    body: bytes  # content-decoded (gzip undone), as a browser would see it


def read_response(stream) -> Replayed:
    """The first response record of a WARC file (a file object)."""
    for record in ArchiveIterator(stream):
        if record.rec_type == "response":
            http = record.http_headers
            return Replayed(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=http.get_statuscode() if http else "",
                content_type=(http.get_header("Content-Type") if http else "") or "",
                body=record.content_stream().read(),
            )
    raise ValueError("The WARC file holds no response record.")
