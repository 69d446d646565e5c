"""WARC files (ISO 28500, warcio): a request and a response record per capture, gzip'd; read back."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tracker.outbound import READ_CHUNK, Fetched, Inflater

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
    body: bytes  # content-decoded (gzip undone), at most OUTBOUND_MAX_BYTES
    truncated: bool  # the decoded body went on past OUTBOUND_MAX_BYTES
    sha256: str  # of the payload as stored (the wire's bytes): what the source's version names


def _response(stream):
    """The first response record of a WARC file (a file object), its HTTP headers read."""
    for record in ArchiveIterator(stream):
        if record.rec_type == "response":
            return record
    raise ValueError("The WARC file holds no response record.")


def _payload(record) -> Iterator[bytes]:
    # The payload as stored (not content-decoded), a chunk at a time.
    while chunk := record.raw_stream.read(READ_CHUNK):
        yield chunk


def _content_encoding(record) -> str:
    return (record.http_headers.get_header("Content-Encoding") if record.http_headers else "") or ""


def read_response(stream, max_bytes: int | None = None) -> Replayed:
    """The first response record of a WARC file, its body decoded up to `max_bytes` (OUTBOUND_MAX_BYTES).

    Past the limit the payload is only hashed, never inflated: a gzip bomb
    captured before the limit was counted decoded costs its limit, no more.
    """
    record = _response(stream)
    http = record.http_headers
    inflater = Inflater(_content_encoding(record),
                        max_bytes if max_bytes is not None else settings.OUTBOUND_MAX_BYTES)
    digest, parts = hashlib.sha256(), []
    for chunk in _payload(record):
        digest.update(chunk)
        if not inflater.truncated:
            parts.append(inflater.feed(chunk))
    return Replayed(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=http.get_statuscode() if http else "",
        content_type=(http.get_header("Content-Type") if http else "") or "",
        body=b"".join(parts), truncated=inflater.truncated, sha256=digest.hexdigest(),
    )


def payload_sha256(stream) -> str:
    """The SHA-256 of the stored payload of a WARC file's response record, read a chunk at a time."""
    digest = hashlib.sha256()
    for chunk in _payload(_response(stream)):
        digest.update(chunk)
    return digest.hexdigest()


def decoded_chunks(stream, max_bytes: int | None = None) -> Iterator[bytes]:
    """The response's body, content-decoded, a chunk at a time, stopping at `max_bytes` decoded.

    What serving the copy streams: never the whole body in memory.
    """
    record = _response(stream)
    inflater = Inflater(_content_encoding(record),
                        max_bytes if max_bytes is not None else settings.OUTBOUND_MAX_BYTES)
    for chunk in _payload(record):
        out = inflater.feed(chunk)
        if out:
            yield out
        if inflater.truncated:
            return
