"""The SSRF guard: webhook targets are checked where they resolve, every time, and pinned there.

A webhook URL is chosen by an API user, so a delivery must never become a way
to reach the tracker's own network (databases, Redis, the cloud metadata
service at 169.254.169.254). The host is resolved once per delivery, every
address it resolves to is checked, and the connection goes to the checked
address (the Host header and TLS SNI keep the original name), so a DNS answer
that changes between the check and the connect (DNS rebinding) cannot slip
through. Redirects are never followed: a 3xx is a failed delivery.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

MAX_URL_LENGTH = 2000
RESPONSE_EXCERPT_BYTES = 512

# Never reachable, whatever the setting: cloud metadata endpoints.
METADATA_ADDRESSES = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class TargetRefused(Exception):
    """The URL is not a webhook target the tracker will connect to."""


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
    """What one POST produced: a status code, or an error, and how long it took."""

    status_code: int | None
    latency_ms: int
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


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
        raise TargetRefused("Only http:// and https:// URLs can receive webhooks.")
    if not parts.hostname:
        raise TargetRefused("The URL has no host.")
    if parts.username or parts.password:
        raise TargetRefused("Credentials in the URL are not allowed; authenticate with the signature.")
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
        if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
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
        raise TargetRefused(f"The host {target.host!r} does not resolve ({exc}).") from None
    addresses: list[str] = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        problem = address_problem(address)
        if problem:
            raise TargetRefused(f"The host {target.host!r} resolves to {address}, {problem}.")
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise TargetRefused(f"The host {target.host!r} does not resolve.")
    return addresses


def check_url(url: str) -> Target:
    """The check on create and on every delivery: shape, then where it resolves now."""
    target = parse_target(url)
    resolve(target)
    return target


def _pool(target: Target, address: str, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    # The pool connects to the checked address; TLS still verifies the
    # certificate against the name in the URL (SNI + hostname check).
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, target.port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=target.host, assert_hostname=target.host, cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url` through the guard. Never raises for network trouble: it is an Outcome."""
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target = parse_target(url)
        addresses = resolve(target)
    except TargetRefused as exc:
        return Outcome(status_code=None, latency_ms=elapsed(), error=f"Refused: {exc}")
    timeout = urllib3.Timeout(total=settings.WEBHOOKS_TIMEOUT_SECONDS)
    request_headers = {
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": "tracker-webhooks/1",
        **headers,
    }
    error = ""
    for address in addresses:
        pool = _pool(target, address, timeout)
        try:
            response = pool.urlopen(
                "POST", target.path, body=body, headers=request_headers,
                redirect=False, retries=False, preload_content=False, assert_same_host=False,
            )
            excerpt = response.read(RESPONSE_EXCERPT_BYTES, decode_content=False)
            response.release_conn()
            outcome_error = ""
            if not 200 <= response.status < 300:
                text = excerpt.decode("utf-8", "replace").strip()
                outcome_error = f"HTTP {response.status}" + (f": {text[:200]}" if text else "")
            return Outcome(status_code=response.status, latency_ms=elapsed(), error=outcome_error)
        except urllib3.exceptions.HTTPError as exc:
            # Try the next checked address only when this one could not be reached.
            error = f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, urllib3.exceptions.NewConnectionError):
                break
        finally:
            pool.close()
    return Outcome(status_code=None, latency_ms=elapsed(), error=error[:1000])
