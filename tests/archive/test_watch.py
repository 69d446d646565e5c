"""Watching: re-fetched when due; unchanged, changed (capture + word diff), gone after misses, failed."""

import datetime as dt

import pytest

from archive import selectors, services
from archive.models import Capture
from events.models import Source
from tests.archive.origin import article
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(cite, origin):
    origin.serve("/report", article("The ministry said ten soldiers died."))
    source = cite(origin.url("/report"))
    make_claim(sources=[source])
    return Source.objects.get(pk=source.pk)


def status_of(source: Source) -> str:
    return Source.objects.get(pk=source.pk).archive_status


def test_an_unchanged_page_is_unchanged_and_keeps_no_new_file(cited):
    capture = services.source_check(cited.pk)
    assert capture.outcome == Capture.Outcome.UNCHANGED
    assert not capture.warc
    assert status_of(cited) == Source.ArchiveStatus.ARCHIVED


def test_furniture_that_moves_around_the_article_is_not_a_change(cited, origin):
    origin.serve("/report", article("The ministry said ten soldiers died.").replace(b"World", b"Europe"))
    assert services.source_check(cited.pk).outcome == Capture.Outcome.UNCHANGED


def test_a_changed_article_is_a_new_capture_with_a_word_diff_and_flags_the_source(cited, origin):
    origin.serve("/report", article("The ministry said twelve soldiers died."))
    capture = services.source_check(cited.pk)
    assert capture.outcome == Capture.Outcome.CHANGED
    assert capture.warc
    assert {"op": "delete", "text": "ten"} in capture.text_diff
    assert {"op": "insert", "text": "twelve"} in capture.text_diff
    source = Source.objects.get(pk=cited.pk)
    assert source.archive_status == Source.ArchiveStatus.CHANGED
    assert source.history.latest("version").revision.message.startswith("Source changed since cited")


def test_a_change_seen_again_is_unchanged_since_the_last_check_and_still_flagged(cited, origin):
    origin.serve("/report", article("The ministry said twelve soldiers died."))
    services.source_check(cited.pk)
    version = Source.objects.get(pk=cited.pk).version
    assert services.source_check(cited.pk).outcome == Capture.Outcome.UNCHANGED
    assert status_of(cited) == Source.ArchiveStatus.CHANGED
    assert Source.objects.get(pk=cited.pk).version == version  # no revision for "still changed"


def test_a_404_is_a_failed_check_until_repeated_then_gone(cited, origin, settings):
    settings.ARCHIVE_GONE_AFTER = 3
    origin.serve("/report", b"not here", status=404)
    first, second = services.source_check(cited.pk), services.source_check(cited.pk)
    assert [first.outcome, second.outcome] == [Capture.Outcome.FAILED] * 2
    assert "2 of 3" in second.error
    assert status_of(cited) == Source.ArchiveStatus.ARCHIVED
    assert services.source_check(cited.pk).outcome == Capture.Outcome.GONE
    assert status_of(cited) == Source.ArchiveStatus.GONE


def test_a_host_that_no_longer_resolves_counts_as_missing(cited, settings, monkeypatch):
    settings.ARCHIVE_GONE_AFTER = 1
    monkeypatch.setattr("socket.getaddrinfo", _no_such_host)  # DNS is outside the machine
    capture = services.source_check(cited.pk)
    assert capture.missing and capture.outcome == Capture.Outcome.GONE


def _no_such_host(*args, **kwargs):
    import socket

    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_a_server_error_or_a_hang_is_a_temporary_failure_that_changes_nothing(cited, origin):
    origin.serve("/report", b"oops", status=503)
    assert services.source_check(cited.pk).outcome == Capture.Outcome.FAILED
    origin.hang("/report")
    hung = services.source_check(cited.pk)
    assert hung.outcome == Capture.Outcome.FAILED and not hung.missing
    assert status_of(cited) == Source.ArchiveStatus.ARCHIVED


def test_a_gone_source_that_comes_back_as_cited_is_archived_again(cited, origin, settings):
    settings.ARCHIVE_GONE_AFTER = 1
    origin.serve("/report", b"", status=410)
    services.source_check(cited.pk)
    origin.serve("/report", article("The ministry said ten soldiers died."))
    services.source_check(cited.pk)
    assert status_of(cited) == Source.ArchiveStatus.ARCHIVED


def test_sources_are_checked_daily_in_their_first_week_then_weekly(cited):
    captured = Source.objects.get(pk=cited.pk).archived_at
    due = lambda at: cited.pk in selectors.due_source_ids(now=at, limit=10)  # noqa: E731
    assert not due(captured + dt.timedelta(hours=23))
    assert due(captured + dt.timedelta(hours=25))
    # A check on day 8 is followed by the next a week later, not a day.
    Capture.objects.create(source=cited, reason="check", outcome="unchanged", requested_url=cited.url,
                           captured_at=captured + dt.timedelta(days=8))
    assert not due(captured + dt.timedelta(days=10))
    assert due(captured + dt.timedelta(days=15, hours=1))


def test_only_cited_sources_are_watched(cite, origin):
    origin.serve("/uncited", article("Nobody cites this."))
    uncited = cite(origin.url("/uncited"))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert uncited.pk not in selectors.due_source_ids(now=later, limit=10)


def test_the_watch_job_checks_what_is_due(cited):
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert services.sources_check_due(now=later) == 1
    assert Capture.objects.filter(source=cited, reason=Capture.Reason.CHECK).count() == 1


def test_a_source_whose_cited_capture_is_not_in_this_archive_is_noted_not_recaptured(origin):
    # As after import_log into a new database: the source's version names a capture
    # whose row and WARC file stayed with the old archive.
    from record.versioning import revision, save_version
    from tests.factories import make_source

    origin.serve("/report", article("Text."))
    source = make_source(url=origin.url("/report"))
    make_claim(sources=[source])
    with revision(author=services.system_user(), message="Archived (replayed)", kind="capture"):
        save_version(source, base_version=source.version, changes={
            "archived_at": dt.datetime(2023, 9, 19, tzinfo=dt.UTC), "archive_sha256": "ab" * 32,
            "archive_status": Source.ArchiveStatus.ARCHIVED})
    capture = services.source_check(source.pk)
    assert capture.outcome == Capture.Outcome.FAILED and "not in this archive" in capture.error
    assert origin.requests == []
    assert Source.objects.get(pk=source.pk).archive_sha256 == "ab" * 32


def test_only_one_watch_runs_at_a_time(cited):
    from django.core.cache import cache

    cache.add(services.WATCH_LOCK, "1")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert services.sources_check_due(now=later) == 0
    cache.delete(services.WATCH_LOCK)
    assert services.sources_check_due(now=later) == 1
