"""Fixtures for the edge: a real Varnish (the shipped VCL) in front of the live test server.

`edge` starts varnishd once per test session on a free loopback port, with
deploy/varnish/default.vcl's backend pointed at pytest-django's live server,
and stops it at the end. Each test that uses it gets EDGE_PURGE_URLS pointed
at that Varnish and starts from an empty cache (the story list and ids are
shared across tests).
"""

from __future__ import annotations

import pytest

from devsupport.varnish import Varnish, varnishd


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
