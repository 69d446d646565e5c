"""Revision ids are the change-feed cursor: commit order equals id order."""

import threading

import pytest
from django.db import connection, connections, transaction

from events import services
from events.models import Story
from record.models import Revision
from tests.factories import make_user
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _backend_waiting_on_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_revision_committed_late_is_never_behind_the_cursor():
    author = make_user()
    story = services.story_create(author=author, message="Story", slug="race", title="Race")
    committed: list[int] = []
    a_holding = threading.Event()
    release_a = threading.Event()
    b_pid: list[int] = []
    errors: list[BaseException] = []

    def editor_a():
        try:
            from events.editing import story_revision

            with story_revision(author=author, message="A", kind="update", story=story) as rev:
                transaction.on_commit(lambda: committed.append(rev.id))
                a_holding.set()
                release_a.wait(10)
        except BaseException as exc:  # noqa: BLE001 (reported to the main thread)
            errors.append(exc)
        finally:
            connections.close_all()

    def editor_b():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                b_pid.append(cursor.fetchone()[0])
            with transaction.atomic():
                s = Story.objects.get(pk=story.pk)
                updated = services.story_update(
                    author=author, story=s, base_version=s.version, message="B",
                    changes={"summary": "B was here"},
                )
                rev_id = updated.history.latest("version").revision_id
                transaction.on_commit(lambda: committed.append(rev_id))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    thread_a = threading.Thread(target=editor_a)
    thread_a.start()
    assert a_holding.wait(10)
    thread_b = threading.Thread(target=editor_b)
    thread_b.start()
    # B must queue behind A's open revision rather than take an id and commit first.
    wait_for(lambda: b_pid and _backend_waiting_on_lock(b_pid[0]))
    release_a.set()
    thread_a.join(10)
    thread_b.join(10)

    assert not errors, errors
    # B queued behind A's open transaction (seen above), so B committed after A:
    # its id must be the higher one. (The on_commit callbacks themselves may run
    # in either order: they fire after each thread's commit, racing for the GIL.)
    assert len(committed) == 2
    first, second = sorted(committed)
    assert Revision.objects.get(id=second).message == "B"
    assert list(Revision.objects.filter(id__gt=first).values_list("id", flat=True)) == [second]
