"""A Memento client no one here wrote (PyPI `memento-client`) reads our pages as native TimeGates.

memento-client treats a resource whose answer varies on Accept-Datetime as its own
TimeGate only when told so: an empty `timegate_uri` stem makes the URI-G the page itself.
"""

from __future__ import annotations

import datetime as dt

import pytest
from memento_client import MementoClient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def memento(live_server, recorded):
    with MementoClient(timegate_uri="", check_native_timegate=True) as client:
        yield client, live_server.url, recorded


def test_the_client_finds_the_memento_of_a_moment_and_its_neighbours(memento):
    client, base, _ = memento
    info = client.get_memento_info(f"{base}/stories/offensive/", dt.datetime(2023, 9, 20, 12))
    assert info["timegate_uri"] == f"{base}/stories/offensive/"
    closest = info["mementos"]["closest"]
    assert closest["uri"] == [f"{base}/stories/offensive/?as_of=2023-09-20T09:00:00%2B00:00"]
    assert closest["datetime"] == dt.datetime(2023, 9, 20, 9)
    assert info["mementos"]["first"]["datetime"] == dt.datetime(2023, 9, 19, 8)
    assert info["mementos"]["prev"]["datetime"] == dt.datetime(2023, 9, 19, 10)
    assert info["mementos"]["next"]["datetime"] == dt.datetime(2023, 9, 21, 15, 30)
    assert info["mementos"]["last"]["datetime"] == dt.datetime(2023, 9, 21, 15, 30)


def test_the_client_given_a_memento_finds_its_original(memento):
    client, base, _ = memento
    memento_uri = f"{base}/stories/offensive/?as_of=2023-09-20T09:00:00%2B00:00"
    assert client.get_original_uri(memento_uri) == f"{base}/stories/offensive/"
    assert MementoClient.is_memento(memento_uri)


def test_the_client_reaches_a_claims_first_memento_from_before_it_existed(memento):
    client, base, recorded = memento
    claim = f"{base}/stories/offensive/claims/{recorded.claim.pk}/"
    info = client.get_memento_info(claim, dt.datetime(2001, 1, 1))
    assert info["mementos"]["closest"]["datetime"] == dt.datetime(2023, 9, 20, 9)

