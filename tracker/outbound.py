"""The one way out: every outbound fetch (webhooks, source captures) goes through this SSRF guard.

A webhook URL is chosen by an API user and a source URL by an editor, so a
fetch must never become a way to reach the tracker's own network (databases,
Redis, the cloud metadata service at 169.254.169.254). The host is resolved
once per request, every address it resolves to is checked, and the
connection goes to the checked address (the Host header and TLS SNI keep the
original name), so a DNS answer that changes between the check and the
connect (DNS rebinding) cannot slip through. A redirect is followed only
where the caller asks, and each hop is checked like the first one.
`OUTBOUND_ALLOW_PRIVATE_TARGETS` (old name: `WEBHOOKS_ALLOW_PRIVATE_TARGETS`)
is the one switch that lets loopback and private addresses through.

Two limits hold for the whole answer, not per read: the time limit is a
wall clock from the request's start (a watchdog cuts the connection at the
deadline, so a body or headers trickled a byte at a time are cut too), and
the size limit counts the body *decoded* (a gzip'd body is inflated as it
is read, a chunk at a time, so a small gzip bomb stops at the limit).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

MAX_URL_LENGTH = 2000
RESPONSE_EXCERPT_BYTES = 512
READ_CHUNK = 64 * 1024
# Content-Encodings undone as they are read (and by `decoded`); others are kept as they are.
COMPRESSED = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}

# Never reachable, whatever the setting: cloud metadata endpoints.
METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class TargetRefused(Exception):
    """The URL is not a target the tracker will connect to."""


class HostNotFound(TargetRefused):
    """The host does not resolve (for a watched source: one sign that it is gone)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


@dataclass(frozen=True)
class Outcome:
    """What one webhook POST produced: a status code, or an error, and how long it took."""

    status_code: int | None
    latency_ms: int
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class Fetched:
    """One request and what came back, as a WARC writer needs it.

    `body` is the payload as sent (transfer- and content-encoding left alone),
    cut at the size limit (`truncated`). `error` is set when no answer came;
    `host_not_found` when the name does not resolve.
    """

    url: str  # the final URL, after any redirects followed
    method: str
    request_headers: list[tuple[str, str]]
    status_code: int | None = None
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    truncated: bool = False
    error: str = ""
    host_not_found: bool = False
    latency_ms: int = 0

    def header(self, name: str) -> str:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), "")


def private_targets_allowed() -> bool:
    # One switch; the old webhook name still counts (settings and tests that set it).
    return bool(getattr(settings, "OUTBOUND_ALLOW_PRIVATE_TARGETS", False)
                or getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))


def parse_target(url: str) -> Target:
    """Refuse what is wrong on its face: scheme, missing host, credentials, bad port."""
    if not url or len(url) > MAX_URL_LENGTH:
        raise TargetRefused(f"Give an http(s) URL of at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"Not a valid URL: {exc}.") from None
    if parts.scheme not in {"http", "https"}:
        raise TargetRefused("Only http:// and https:// URLs are fetched.")
    if not parts.hostname:
        raise TargetRefused("The URL has no host.")
    if parts.username or parts.password:
        raise TargetRefused("Credentials in the URL are not allowed (webhooks authenticate "
                            "with the signature).")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(
        scheme=parts.scheme, host=parts.hostname.lower(),
        port=port or (443 if parts.scheme == "https" else 80), path=path,
    )


def address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why this address is refused, or None when it may be connected to."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_loopback or address.is_private:
        if private_targets_allowed():
            return None
        return "a loopback address" if address.is_loopback else "a private address"
    if address.is_reserved or not address.is_global:
        return "a reserved address"
    return None


def resolve(target: Target) -> list[str]:
    """Every address the host resolves to, all checked; refused if any one is refused.

    Refusing the whole name when one of its addresses is internal stops a
    name that mixes a public and an internal address from being used to
    reach the internal one on a retry.
    """
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotFound(f"The host {target.host!r} does not resolve ({exc}).") from None
    addresses: list[str] = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        problem = address_problem(address)
        if problem:
            raise TargetRefused(f"The host {target.host!r} resolves to {address}, {problem}.")
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise HostNotFound(f"The host {target.host!r} does not resolve.")
    return addresses


def check_url(url: str) -> Target:
    """The check on create and on every request: shape, then where it resolves now."""
    target = parse_target(url)
    resolve(target)
    return target


class _Watchdog:
    """Cuts every connection it was shown at the deadline, whatever the read is waiting for."""

    def __init__(self, deadline: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._cut)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            self._shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def stop(self) -> None:
        self._timer.cancel()


def _watched(connection_class, watchdog: _Watchdog):
    class Watched(connection_class):
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    return Watched


def _pool(target: Target, address: str, timeout: urllib3.Timeout,
          watchdog: _Watchdog) -> urllib3.HTTPConnectionPool:
    # The pool connects to the checked address; TLS still verifies the
    # certificate against the name in the URL (SNI + hostname check).
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, target.port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=target.host, assert_hostname=target.host, cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)
    pool.ConnectionCls = _watched(pool.ConnectionCls, watchdog)
    return pool


class Inflater:
    """A Content-Encoding undone a chunk at a time, never past `max_bytes` decoded."""

    def __init__(self, content_encoding: str, max_bytes: int) -> None:
        wbits = COMPRESSED.get(content_encoding.strip().lower())
        self._inflate = zlib.decompressobj(wbits) if wbits else None
        self.max_bytes = max_bytes
        self.size = 0
        self.truncated = False
        self.broken = False

    def feed(self, chunk: bytes) -> bytes:
        """The decoded bytes of `chunk`, up to the limit (then `truncated` is set)."""
        room = self.max_bytes - self.size
        out = chunk
        if self._inflate is not None and not self.broken:
            try:
                # room + 1: one byte past the limit says there was more (0 would mean no limit).
                out = self._inflate.decompress(chunk, room + 1)
                if self._inflate.unconsumed_tail:
                    self.truncated = True
            except zlib.error:
                self.broken = True  # not what it says it is: counted as it came
        if len(out) > room:
            self.truncated = True
            out = out[:room]
        self.size += len(out)
        return out


def decoded(body: bytes, content_encoding: str, max_bytes: int | None = None) -> tuple[bytes, bool]:
    """The payload with gzip/deflate undone, at most `max_bytes` (OUTBOUND_MAX_BYTES); True if cut."""
    inflater = Inflater(content_encoding, max_bytes if max_bytes is not None else settings.OUTBOUND_MAX_BYTES)
    out = inflater.feed(body)
    return out, inflater.truncated


def _read(response, max_bytes: int, deadline: float, watchdog: _Watchdog) -> tuple[bytes, bool]:
    """The raw payload until it decodes to more than `max_bytes`; True when it was cut there.

    The bytes kept are as sent (still gzip'd, if they were); what counts
    against the limit is their decoded size, inflated chunk by chunk and
    thrown away, so memory holds at most the raw bytes kept.
    """
    inflater = Inflater(response.headers.get("Content-Encoding", ""), max_bytes)
    too_long = urllib3.exceptions.ReadTimeoutError(None, None, "the whole response took too long")
    chunks, size = [], 0
    while True:
        if watchdog.expired or time.monotonic() > deadline:
            raise too_long
        try:
            # read1: whatever has arrived, so a trickle is seen at once, not after 64 KB.
            chunk = response.read1(min(READ_CHUNK, max_bytes + 1 - size), decode_content=False)
        except (urllib3.exceptions.HTTPError, OSError):
            if watchdog.expired:
                raise too_long from None
            raise
        if not chunk:
            if watchdog.expired:  # the cut connection reads as an end
                raise too_long
            return b"".join(chunks), False
        inflater.feed(chunk)
        chunks.append(chunk)
        size += len(chunk)
        if inflater.truncated or size > max_bytes:
            return b"".join(chunks)[:max_bytes], True


def _once(method: str, url: str, *, body: bytes | None, headers: dict[str, str],
          timeout: float, max_bytes: int, user_agent: str) -> Fetched:
    started = time.monotonic()
    target = parse_target(url)
    addresses = resolve(target)
    request_headers = {"Host": target.host_header, "User-Agent": user_agent, **headers}
    fetched = Fetched(url=url, method=method, request_headers=list(request_headers.items()))
    deadline = started + timeout
    watchdog = _Watchdog(deadline)
    try:
        for address in addresses:
            remaining = max(0.001, deadline - time.monotonic())
            pool = _pool(target, address, urllib3.Timeout(connect=remaining, read=remaining), watchdog)
            try:
                response = pool.urlopen(
                    method, target.path, body=body, headers=request_headers,
                    redirect=False, retries=False, preload_content=False, assert_same_host=False,
                )
                try:
                    fetched.body, fetched.truncated = _read(response, max_bytes, deadline, watchdog)
                finally:
                    response.release_conn()
                fetched.status_code, fetched.reason = response.status, response.reason or ""
                fetched.http_version = {10: "HTTP/1.0"}.get(response.version, "HTTP/1.1")
                fetched.headers = list(response.headers.items())
                fetched.error = ""
                break
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                # Try the next checked address only when this one could not be reached.
                if watchdog.expired:
                    fetched.error = f"ReadTimeoutError: timed out, no whole answer within {timeout:g} s"
                    break
                fetched.error = f"{type(exc).__name__}: {exc}"[:1000]
                if not isinstance(exc, urllib3.exceptions.NewConnectionError):
                    break
            finally:
                pool.close()
    finally:
        watchdog.stop()
    fetched.latency_ms = round((time.monotonic() - started) * 1000)
    return fetched


def request(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float | None = None, max_bytes: int | None = None, max_redirects: int = 0,
            user_agent: str = "tracker/1") -> Fetched:
    """One request through the guard. Never raises for network trouble or a refused target.

    `max_redirects` > 0 follows that many redirects (GET only), each hop
    resolved and checked again: a public page cannot redirect inside.
    """
    timeout = timeout if timeout is not None else settings.OUTBOUND_TIMEOUT_SECONDS
    max_bytes = max_bytes if max_bytes is not None else settings.OUTBOUND_MAX_BYTES
    headers = dict(headers or {})
    for _hop in range(max_redirects + 1):
        try:
            fetched = _once(method, url, body=body, headers=headers, timeout=timeout,
                            max_bytes=max_bytes, user_agent=user_agent)
        except TargetRefused as exc:
            return Fetched(url=url, method=method, request_headers=[], error=f"Refused: {exc}",
                           host_not_found=isinstance(exc, HostNotFound))
        location = fetched.header("Location")
        if not (max_redirects and fetched.status_code in {301, 302, 303, 307, 308} and location):
            return fetched
        url = urljoin(url, location)
    fetched.error = f"More than {max_redirects} redirects."
    return fetched


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Outcome:
    """A webhook POST: never redirected, only an excerpt of the answer read."""
    fetched = request(
        "POST", url, body=body, headers={"Content-Type": "application/json", **headers},
        timeout=settings.WEBHOOKS_TIMEOUT_SECONDS, max_bytes=RESPONSE_EXCERPT_BYTES,
        user_agent="tracker-webhooks/1",
    )
    if fetched.status_code is None:
        return Outcome(status_code=None, latency_ms=fetched.latency_ms, error=fetched.error)
    error = ""
    if not 200 <= fetched.status_code < 300:
        text = fetched.body.decode("utf-8", "replace").strip()
        error = f"HTTP {fetched.status_code}" + (f": {text[:200]}" if text else "")
    return Outcome(status_code=fetched.status_code, latency_ms=fetched.latency_ms, error=error)
