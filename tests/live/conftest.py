"""Live-stream fixtures: Debian's Pushpin on free loopback ports in front of Django's live server.

`pushpin` is one instance per test session under its own run directory
(live/pushpin.py), routing to `live_server`; `grip` points the app at it
(GRIP_URL, GRIP_SIG_KEY) for one test. Tests that use them need
`transactional_db`: the live server's threads have their own connections.
"""

from __future__ import annotations

import pytest

from live.pushpin import Pushpin
from tests.live.keys import SIG_KEY


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
