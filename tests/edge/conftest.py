"""Fixtures for the edge: a real Varnish (the shipped VCL) in front of the live test server.

`edge` starts varnishd once per test session on a free loopback port, with
deploy/varnish/default.vcl's backend pointed at pytest-django's live server,
and stops it at the end. Each test that uses it gets EDGE_PURGE_URLS pointed
at that Varnish and starts from an empty cache (the story list and ids are
shared across tests).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from edge.varnish import Varnish, varnishd
from tests.digests.conftest import celery_redis_worker, wait_for  # noqa: F401 (fixture)


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: str

    def header(self, name: str) -> str | None:
        return {k.lower(): v for k, v in self.headers.items()}.get(name.lower())


def fetch(url: str, method: str = "GET", headers: dict | None = None, data: dict | None = None) -> Fetched:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, method=method, data=body, headers={  # noqa: S310 (loopback)
        **({"Content-Type": "application/json"} if body else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Fetched(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, dict(error.headers), error.read().decode())


@pytest.fixture(scope="session")
def _varnish(live_server):
    if varnishd() is None:
        pytest.fail("varnishd is not installed: run `make system-deps`")
    port = int(live_server.url.rsplit(":", 1)[1])
    with Varnish(port) as varnish:
        yield varnish


@pytest.fixture
def edge(_varnish, settings, transactional_db):
    settings.EDGE_PURGE_URLS = [_varnish.url]
    _varnish.clear()
    return _varnish
