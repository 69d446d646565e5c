"""Live-stream fixtures: Debian's Pushpin on free loopback ports in front of Django's live server.

`pushpin` is one instance per test session under its own run directory
(devsupport/pushpin.py), routing to `live_server`; `grip` points the app at it
(GRIP_URL, GRIP_SIG_KEY) for one test. Tests that use them need
`transactional_db`: the live server's threads have their own connections.
"""

from __future__ import annotations

import sys

import pytest

from devsupport.pushpin import Pushpin
from live import views as live_views
from tests.live.keys import SIG_KEY
from tests.waiting import wait_for


def _polling_streams() -> int:
    """Direct streams whose generator is running in one of the live server's threads."""
    polling = 0
    for frame in sys._current_frames().values():
        while frame is not None:
            if frame.f_code is live_views._poll.__code__:
                polling += 1
                break
            frame = frame.f_back
    return polling


@pytest.fixture
def transactional_db(transactional_db, settings):
    """pytest-django's, with no direct stream still reading when the tables are flushed.

    A direct stream in one of the live server's threads polls until its lifetime ends, even
    after its reader left, and its poll query can deadlock with the flush's TRUNCATE: its
    lifetime is ended first, and the flush waits for it to stop.
    """
    yield
    settings.LIVE_DIRECT_SECONDS = 0
    wait_for(lambda: _polling_streams() == 0, timeout=10)


@pytest.fixture(scope="session")
def pushpin(live_server):
    host, port = live_server.url.removeprefix("http://").split(":")
    with Pushpin(f"{host}:{port}", sig_key=SIG_KEY) as instance:
        yield instance


@pytest.fixture
def grip(settings, pushpin):
    """The app publishes to `pushpin` and trusts its Grip-Sig."""
    settings.GRIP_URL = pushpin.publish_url
    settings.GRIP_SIG_KEY = SIG_KEY
    return pushpin


@pytest.fixture
def quick_streams(settings):
    """Direct streams poll fast and end soon, so a test never waits on a long-lived thread."""
    settings.LIVE_POLL_SECONDS = 0.05
    settings.LIVE_DIRECT_SECONDS = 20
    settings.LIVE_KEEPALIVE_SECONDS = 1
