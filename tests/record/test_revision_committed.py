"""The one event after a revision: sent once after commit, with what it wrote; never for a rollback."""

from __future__ import annotations

import pytest
from django.db import transaction

from archive.tasks import capture_source_task
from digests.tasks import send_immediate_digests
from edge.tasks import purge_revision
from events import services
from live.tasks import publish_revision
from record.signals import revision_committed
from tests.factories import make_claim, make_development, make_source, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


class Queued:
    """Every message the consumers queue, by task name, instead of sending it to a broker."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[tuple[str, tuple]] = []
        for task in (purge_revision, publish_revision, send_immediate_digests, capture_source_task):
            monkeypatch.setattr(task, "apply_async", self._recorder(task.name))

    def _recorder(self, name: str):
        def apply_async(args=(), kwargs=None, **options):
            self.calls.append((name, tuple(args)))
        return apply_async

    def of(self, suffix: str) -> list[tuple]:
        return [args for name, args in self.calls if name.endswith(suffix)]


@pytest.fixture
def queued(monkeypatch, settings):
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    settings.GRIP_URL = "http://127.0.0.1:9/"
    settings.ARCHIVE_CAPTURE_ON_CITE = True
    return Queued(monkeypatch)


@pytest.fixture
def summaries():
    received = []

    def spy(sender, summary, **kwargs):
        received.append(summary)

    revision_committed.connect(spy, dispatch_uid="tests.spy")
    yield received
    revision_committed.disconnect(dispatch_uid="tests.spy")


def test_the_summary_names_each_item_written_with_the_items_it_belongs_to(
        django_capture_on_commit_callbacks, summaries):
    development = make_development()
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(development=development)
    summary = summaries[-1]
    written = {(item.model, item.id): item for item in summary.items}
    item = written[("claim", claim.id)]
    assert item.version == 1
    assert [(parent.model, parent.id) for parent in item.parents] == [
        ("development", development.id), ("story", development.story_id)]
    assert summary.touched("story") == {development.story_id}
    assert summary.links["story_id"] == development.story_id


def test_the_event_is_sent_once_per_revision_after_commit(django_capture_on_commit_callbacks, summaries):
    with django_capture_on_commit_callbacks(execute=True):
        development = make_development()
        assert summaries == []  # nothing before the commit
    story_revision, development_revision = [summary.revision_id for summary in summaries]
    assert development_revision > story_revision
    assert [item.id for item in summaries[-1].written("development")] == [development.id]


def test_each_consumer_runs_once_for_a_committed_revision(django_capture_on_commit_callbacks, queued,
                                                         summaries):
    development = make_development()
    queued.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.development_update(author=make_user(), development=development, base_version=1,
                                    message="Renamed", kind="update", minor=False,
                                    changes={"title": "Renamed"})
    revision_id = summaries[-1].revision_id
    [(purged_id, _, keys)] = queued.of("purge_revision")
    assert purged_id == revision_id
    assert {f"development-{development.id}", f"story-{development.story_id}"} <= set(keys)
    assert queued.of("publish_revision") == [(revision_id,)]
    assert queued.of("send_immediate_digests") == [()]
    assert queued.of("capture_source_task") == []  # no source cited


def test_a_source_cited_with_a_url_is_captured_once_after_commit(django_capture_on_commit_callbacks, queued):
    with django_capture_on_commit_callbacks(execute=True):
        source = make_source(url="https://example.org/report")
    assert queued.of("capture_source_task") == [(source.id,)]


def test_no_consumer_runs_for_a_revision_rolled_back(django_capture_on_commit_callbacks, queued, summaries):
    development = make_development()
    queued.calls.clear()
    summaries.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        services.development_update(author=make_user(), development=development, base_version=1,
                                    message="Renamed", kind="update", minor=False,
                                    changes={"title": "Renamed"})
        make_source(url="https://example.org/never")
        raise RuntimeError("the editor's request fails after the writes")
    assert summaries == []
    assert queued.calls == []


def test_a_failing_consumer_does_not_stop_the_others(django_capture_on_commit_callbacks, queued):
    def broken(sender, summary, **kwargs):
        raise ValueError("a consumer with a bug")

    revision_committed.connect(broken, dispatch_uid="tests.broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_development()
    finally:
        revision_committed.disconnect(dispatch_uid="tests.broken")
    assert len(queued.of("publish_revision")) == 2  # the story's revision and the development's


def test_with_the_tree_switched_off_the_summary_is_read_back(django_capture_on_commit_callbacks, summaries,
                                                            settings):
    settings.LOG_TREE = False
    with django_capture_on_commit_callbacks(execute=True):
        source = make_source()
    [summary] = summaries
    assert summary.leaf_index is None
    assert [item.id for item in summary.written("source")] == [source.id]
