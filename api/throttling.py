"""The API's throttles count clients by `tracker.client.client_ip`, as every other limit does.

DRF's own `get_ident` believes a client's `X-Forwarded-For` unless NUM_PROXIES
is set, and falls back differently when the header is short: one function
decides who a client is, everywhere.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tracker.client import client_ip


class ClientIpMixin:
    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonymousThrottle(ClientIpMixin, AnonRateThrottle):
    """Anonymous reads: API_ANON_RATE per client address."""


class PerUserThrottle(ClientIpMixin, UserRateThrottle):
    """Per signed-in user (an anonymous request, should one reach it, per client address)."""
