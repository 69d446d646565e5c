"""The latest revision by LISTEN/NOTIFY: seen within the bound, untrusted once the listener is lost."""

from __future__ import annotations

import pytest
from django.db import connection, connections  # noqa: F401 (the skipif condition reads it)

from edge import latest, watch
from record.selectors import latest_revision_id
from tests.factories import make_development
from tests.waiting import wait_for

pytestmark = pytest.mark.skipif("connections['default'].vendor != 'postgresql'")


@pytest.fixture
def listening(monkeypatch, transactional_db):
    """Start a watcher (as this process's own) on the test database; stop it afterwards."""
    started = []

    def start(**options):
        watcher = watch.Watcher.for_database(**options).start()
        started.append(watcher)
        monkeypatch.setattr(watch, "_watcher", watcher)
        monkeypatch.setattr(watch, "_decided", True)
        wait_for(lambda: watcher.known() is not None, timeout=10)
        return watcher

    yield start
    for watcher in started:
        watcher.stop()


def _terminate_listener() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE application_name = %s AND datname = current_database()",
                       [watch.APPLICATION_NAME])


def test_a_commit_elsewhere_is_known_at_once_by_its_notification(listening):
    watcher = listening(resync_seconds=30)  # no re-read during the test: only the NOTIFY can tell it
    make_development()  # committed on another connection than the listener's
    wait_for(lambda: watcher.known() == latest_revision_id(), timeout=2)


def test_a_missed_notification_is_caught_by_the_re_read_within_the_bound(listening):
    watcher = listening(resync_seconds=0.3, channel="nobody_notifies_this")
    make_development()
    wait_for(lambda: watcher.known() == latest_revision_id(), timeout=0.3 + 1)


def test_the_value_is_only_ever_raised(listening):
    watcher = listening(resync_seconds=30)
    newest = watcher.known()
    watcher.raise_to(newest - 1)
    assert watcher.known() == newest


def test_a_lost_listener_is_not_trusted_and_the_database_answers_meanwhile(listening):
    watcher = listening(resync_seconds=2)
    _terminate_listener()
    wait_for(lambda: watcher.known() is None, timeout=2)  # untrusted before it could reconnect
    make_development()
    assert latest.latest_revision_id() == latest_revision_id()  # read, not the old copy


def test_a_lost_listener_listens_again_and_catches_up(listening):
    watcher = listening(resync_seconds=0.2)
    _terminate_listener()
    make_development()
    wait_for(lambda: watcher.known() == latest_revision_id(), timeout=5)


def test_a_silent_listener_stops_being_trusted_after_three_re_read_periods():
    watcher = watch.Watcher({}, resync_seconds=0.1)  # never started: it never vouches again
    watcher.raise_to(7)
    watcher._vouch()
    assert watcher.known() == 7
    wait_for(lambda: watcher.known() is None, timeout=1)
