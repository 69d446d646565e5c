"""Who is asking: the one client address every rate limit and throttle counts by.

`X-Forwarded-For` is a list anyone can start: a client may send one with any
addresses it likes, and each proxy appends the address it was connected from.
So only the entries our own proxies appended can be believed. With
`TRUSTED_PROXY_COUNT = N` (the proxies in front of the app, e.g. 1 for one TLS
proxy) the client is the Nth address from the right; with 0 (the default, no
proxy) it is the socket address and the header is ignored. A header with fewer
entries than that did not come through all our proxies: the socket address it is.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, as far as the trusted proxies vouch for it."""
    socket_address = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return socket_address
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return socket_address
    return forwarded[-proxies]
