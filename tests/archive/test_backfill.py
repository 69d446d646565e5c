"""Backfills: sources fetched in a pool, each still captured, noted in one capture revision per batch."""

import hashlib
import json

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import backfill, services
from archive.models import Capture
from events import services as event_services
from events.models import Source
from record.leaves import revision_lines
from record.models import LogLeaf, Revision
from tests.archive.origin import article
from tests.factories import make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncaptured(origin, settings):
    settings.ARCHIVE_CAPTURE_ON_CITE = False  # cited before the archive existed

    def make(*paths: str) -> list[Source]:
        for path in paths:
            origin.serve(path, article(f"Report at {path}."))
        return [make_source(url=origin.url(path)) for path in paths]

    return make


def captured(source_ids, **options) -> dict:
    return dict(backfill.capture_sources(source_ids, **options))


def test_each_source_of_a_backfill_gets_a_warc_whose_payload_hash_is_what_the_server_sent(uncaptured):
    sources = uncaptured("/a", "/b", "/c")
    found = captured([s.pk for s in sources], workers=3)
    for source, path in zip(sources, ["/a", "/b", "/c"], strict=True):
        capture = Capture.objects.get(pk=found[source.pk].pk)
        assert capture.outcome == Capture.Outcome.CAPTURED
        assert capture.sha256 == hashlib.sha256(article(f"Report at {path}.")).hexdigest()
        with capture.warc.open("rb") as stream:
            payloads = [record.content_stream().read() for record in ArchiveIterator(stream)
                        if record.rec_type == "response"]
        assert [hashlib.sha256(p).hexdigest() for p in payloads] == [capture.sha256]


def test_one_capture_revision_notes_each_source_of_a_batch_with_its_own_capture(uncaptured):
    sources = uncaptured("/a", "/b")
    before = Revision.objects.count()
    found = captured([s.pk for s in sources])
    assert Revision.objects.count() == before + 1
    rev = Revision.objects.latest("id")
    assert rev.kind == Revision.Kind.CAPTURE and rev.author.username == services.SYSTEM_USERNAME
    for source in sources:
        source.refresh_from_db()
        capture = found[source.pk]
        assert (source.version, source.archived_at, source.archive_sha256) == \
            (2, capture.captured_at, capture.sha256)
        assert source.history.get(version=2).revision == rev
        assert source.url in rev.message and capture.sha256 in rev.message


def test_the_batch_revisions_leaf_holds_every_sources_new_version(uncaptured):
    sources = uncaptured("/a", "/b", "/c")
    captured([s.pk for s in sources])
    rev = Revision.objects.select_related("author").latest("id")
    data = bytes(LogLeaf.objects.get(revision=rev).data)
    assert data == next(revision_lines([rev])).encode("utf-8")
    versions = json.loads(data)["versions"]
    assert sorted(v["id"] for v in versions) == sorted(s.pk for s in sources)
    assert {v["fields"]["archive_status"] for v in versions} == {Source.ArchiveStatus.ARCHIVED}


def test_a_backfill_writes_a_revision_per_batch(uncaptured):
    sources = uncaptured("/a", "/b", "/c")
    before = Revision.objects.count()
    captured([s.pk for s in sources], batch=2)
    assert Revision.objects.count() == before + 2


def test_failed_and_archived_sources_write_no_version(uncaptured, origin):
    good, = uncaptured("/a")
    missing = make_source(url=origin.url("/nowhere"))
    no_url = make_source(url="")
    found = captured([good.pk, missing.pk, no_url.pk])
    assert found[no_url.pk] is None
    assert found[missing.pk].outcome == Capture.Outcome.FAILED and found[missing.pk].missing
    assert Source.objects.get(pk=missing.pk).version == 1
    assert captured([good.pk]) == {good.pk: None}  # archived already: nothing fetched


def test_an_editors_url_change_during_the_fetch_wins_over_the_capture(uncaptured, origin, monkeypatch):
    source, = uncaptured("/a")
    origin.serve("/moved", article("Moved."))
    written = backfill._written

    def written_after_the_editor_moved_it(captures):
        # The fetch is done, its rows not yet written: the editor saves in between.
        current = Source.objects.get(pk=source.pk)
        event_services.source_update(author=make_user(), source=current, base_version=current.version,
                                     message="Moved", changes={"url": origin.url("/moved")})
        return written(captures)

    monkeypatch.setattr(backfill, "_written", written_after_the_editor_moved_it)
    found = captured([source.pk])
    source.refresh_from_db()
    assert source.url == origin.url("/moved") and not source.archived_at
    assert found[source.pk].outcome == Capture.Outcome.CAPTURED  # the row says what was fetched
    assert not Revision.objects.filter(kind=Revision.Kind.CAPTURE).exists()
