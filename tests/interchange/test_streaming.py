"""An ACLED file is streamed in batches: each lands on its own, a stopped import says what landed and
running it again finishes it."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.core.management import CommandError

from events.models import Development
from interchange import services as interchange_services
from interchange.reading import open_rows
from interchange.services import acled_import
from record.models import Revision
from tests.factories import make_story

from .support import run_import, sample_rows, write_rows

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

BATCH = 2


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(interchange_services, "BATCH_ROWS", BATCH)


@pytest.fixture
def story(editor):
    return make_story(author=editor, slug="acled-stream")


def _rows(count: int) -> list[dict[str, str]]:
    """`count` rows in ACLED's layout, each with its own event id (the fixture's rows over again)."""
    sample = sample_rows()
    return [dict(sample[i % len(sample)], event_id_cnty=f"STR{i:04d}") for i in range(count)]


def _ids(story) -> set[str]:
    return set(Development.objects.filter(story=story).values_list("external_id", flat=True))


def _lines(rows: list[dict[str, str]]) -> list[bytes]:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return [line.encode() for line in out.getvalue().splitlines(keepends=True)]


def test_every_row_is_imported_in_batches_each_a_revision_of_its_own(story, tmp_path):
    output = run_import(write_rows(tmp_path / "seven.csv", _rows(7)), story)
    assert _ids(story) == {f"STR{i:04d}" for i in range(7)}
    created = Revision.objects.filter(message__startswith="Imported seven.csv")
    assert [Development.history.filter(revision=r).count() for r in created.order_by("id")] == [2, 2, 2, 1]
    assert "7 new, 0 updated, 0 unchanged" in output


def test_the_reader_takes_rows_as_it_goes_never_the_whole_file(tmp_path):
    header, *rows = _lines(_rows(1))

    def endless():  # a file with no end: reading it whole would never return
        yield header
        for n in itertools.count():
            yield rows[0].replace(b"STR0000", f"END{n:07d}".encode())

    first = list(itertools.islice(open_rows(endless(), "endless.csv"), 5))
    assert [row.external_id for row in first] == [f"END{n:07d}" for n in range(5)]


def test_a_batch_is_written_before_the_next_is_read(story, editor):
    header, *lines = _lines(_rows(6))
    read = []

    def stream():
        yield header
        for line in lines:
            read.append(line)
            yield line

    landed_when_read = []
    acled_import(author=editor, story=story, rows=open_rows(stream(), "six.csv"), file_name="six.csv",
                 progress=lambda count: landed_when_read.append((len(_ids(story)), len(read))))
    assert landed_when_read == [(2, 2), (4, 4), (6, 6)]


def test_the_same_file_imported_again_writes_nothing(story, tmp_path):
    path = write_rows(tmp_path / "five.csv", _rows(5))
    run_import(path, story)
    revisions = Revision.objects.count()
    output = run_import(path, story)
    assert Revision.objects.count() == revisions
    assert "0 new, 0 updated, 5 unchanged" in output


def test_a_bad_row_in_the_third_batch_leaves_the_first_two_landed_and_says_so(story, tmp_path):
    rows = _rows(7)
    rows[4].update(latitude="91.5")  # the third batch (rows 5–6: lines 6–7)
    with pytest.raises(CommandError) as stopped:
        run_import(write_rows(tmp_path / "seven.csv", rows), story)
    report = str(stopped.value)
    assert "row 6, column latitude: 91.5 is out of range" in report
    assert "in 2 batch(es): the rows up to line 5: 4 new" in report
    assert "Nothing after line 5 was written" in report and "run the same command again" in report
    assert _ids(story) == {f"STR{i:04d}" for i in range(4)}


def test_running_the_corrected_file_again_finishes_a_stopped_import(story, tmp_path):
    rows = _rows(7)
    good_latitude = rows[4]["latitude"]
    rows[4].update(latitude="91.5")
    with pytest.raises(CommandError):
        run_import(write_rows(tmp_path / "seven.csv", rows), story)
    rows[4].update(latitude=good_latitude)
    output = run_import(write_rows(tmp_path / "seven.csv", rows), story)
    assert _ids(story) == {f"STR{i:04d}" for i in range(7)}
    assert "3 new, 0 updated, 4 unchanged" in output


def test_a_stopped_import_lists_every_bad_row_in_the_rest_of_the_file(story, tmp_path):
    rows = _rows(7)
    rows[0].update(event_date="the 19th")
    rows[6].update(time_precision="7")
    with pytest.raises(CommandError) as stopped:
        run_import(write_rows(tmp_path / "seven.csv", rows), story)
    report = str(stopped.value)
    assert "row 2, column event_date" in report and "row 8, column time_precision" in report
    assert "Nothing was imported." in report and not _ids(story)


def test_an_id_repeated_in_a_later_batch_is_a_listed_problem(story, tmp_path):
    rows = _rows(5)
    rows[4].update(event_id_cnty="STR0000")
    with pytest.raises(CommandError) as stopped:
        run_import(write_rows(tmp_path / "five.csv", rows), story)
    assert "row 6, column event_id_cnty: “STR0000” is also on row 2" in str(stopped.value)


def test_an_unreadable_line_later_in_the_file_stops_it_after_the_batches_before(story, tmp_path):
    rows = _rows(7)
    rows[5].update(notes="Clashes near Şuşa")  # line 7, in the third batch
    path = write_rows(tmp_path / "seven.csv", rows)
    path.write_bytes(path.read_bytes().replace("Ş".encode(), b"\xde"))  # Latin-5's Ş: not UTF-8
    with pytest.raises(CommandError) as stopped:
        run_import(path, story)
    report = str(stopped.value)
    assert "seven.csv is not UTF-8 text (byte 0xde at offset" in report
    assert "the rows up to line 5" in report and _ids(story) == {f"STR{i:04d}" for i in range(4)}
