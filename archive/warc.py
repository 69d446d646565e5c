"""WARC files (ISO 28500, warcio): a request and a response record per capture, gzip'd; read back."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zlib
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


# GNU gzip's default level: warcio's own gzip'ing uses 9, which costs about three
# times the time for some 2 % less on an HTML page (a 200 KB article: 2.4 vs 0.7 ms).
GZIP_LEVEL = 6


class _GzipMembers:
    """Where warcio writes a record uncompressed: each record becomes its own gzip member.

    warcio ends every record with a flush(); a member per record is what
    `.warc.gz` readers (warcio, pywb) expect, as warcio's own gzip=True writes.
    """

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self._compressor = None

    def write(self, data: bytes) -> int:
        if self._compressor is None:
            self._compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.buffer.write(self._compressor.compress(data))
        return len(data)

    def flush(self) -> None:
        if self._compressor is not None:
            self.buffer.write(self._compressor.flush())
            self._compressor = None


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def warc_bytes(fetched: Fetched, *, captured_at: dt.datetime) -> bytes:
    """The gzip'd WARC of one fetch: a warcinfo-free pair of request and response records."""
    members = _GzipMembers()
    writer = WARCWriter(members, gzip=False)
    headers = [(f"X-Archive-Orig-{name}" if name.lower() in _RENAMED else name, value)
               for name, value in fetched.headers]
    status = f"{fetched.status_code} {fetched.reason}".strip()
    warc_headers = {"WARC-Date": _iso(captured_at)}
    if fetched.truncated:
        warc_headers["WARC-Truncated"] = "length"
    response = writer.create_warc_record(
        fetched.url, "response", payload=io.BytesIO(fetched.body), length=len(fetched.body),
        http_headers=StatusAndHeaders(status, headers, protocol=fetched.http_version),
        warc_headers_dict=dict(warc_headers),
    )
    parts = urlsplit(fetched.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = writer.create_warc_record(
        fetched.url, "request", payload=io.BytesIO(b""), length=0,
        http_headers=StatusAndHeaders(f"{fetched.method} {target} HTTP/1.1", fetched.request_headers,
                                      is_http_request=True),
        warc_headers_dict={"WARC-Date": _iso(captured_at)},
    )
    writer.write_request_response_pair(request, response)
    members.flush()
    return members.buffer.getvalue()


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
