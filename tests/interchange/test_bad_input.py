"""A bad ACLED file is refused before anything is written, each problem named by row and column."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from events.models import Actor, Development, Source
from record.models import Revision
from tests.factories import make_story

from .support import run_import, sample_rows, write_csv, write_rows

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def story(editor):
    return make_story(author=editor, slug="acled-bad")


def _written() -> tuple[int, ...]:
    return (Revision.objects.count(), Development.objects.count(), Actor.objects.count(),
            Source.objects.count())


def _refused(path, story) -> str:
    before = _written()
    with pytest.raises(CommandError) as refused:
        run_import(path, story)
    assert _written() == before, "a refused import wrote something"
    return str(refused.value)


def _with(tmp_path, line: int, **changes) -> object:
    rows = sample_rows()
    rows[line - 2].update(changes)  # line 1 is the header
    return write_rows(tmp_path / "bad.csv", rows)


def test_missing_required_columns_are_named(story, tmp_path):
    rows = [{k: v for k, v in row.items() if k not in ("event_date", "latitude")} for row in sample_rows()]
    message = _refused(write_rows(tmp_path / "bad.csv", rows), story)
    assert "missing column(s) event_date, latitude" in message


def test_an_unparseable_date_is_named_by_row_and_column(story, tmp_path):
    message = _refused(_with(tmp_path, 3, event_date="the 19th"), story)
    assert "row 3, column event_date" in message


def test_coordinates_out_of_range_are_refused(story, tmp_path):
    message = _refused(_with(tmp_path, 2, latitude="91.5"), story)
    assert "row 2, column latitude: 91.5 is out of range" in message


def test_a_low_figure_above_the_high_one_is_refused(story, tmp_path):
    rows = sample_rows()
    for row in rows:
        row.update(fatalities_low="", fatalities_high="")
    rows[1].update(fatalities_low="30", fatalities="20", fatalities_high="40")
    message = _refused(write_rows(tmp_path / "bad.csv", rows), story)
    assert "row 3, column fatalities: fatalities_low (30) is above fatalities (20)" in message


def test_an_unknown_country_code_is_refused(story, tmp_path):
    message = _refused(_with(tmp_path, 4, iso="999"), story)
    assert "row 4, column iso: 999 is not an ISO 3166 country code" in message


def test_every_bad_row_is_listed_not_just_the_first(story, tmp_path):
    rows = sample_rows()
    rows[0].update(latitude="-95")
    rows[2].update(time_precision="7")
    message = _refused(write_rows(tmp_path / "bad.csv", rows), story)
    assert "row 2, column latitude" in message and "row 4, column time_precision" in message


def test_a_control_character_is_named_by_row_and_column(story, tmp_path):
    message = _refused(_with(tmp_path, 5, notes="Clashes\x07 reported"), story)
    assert "row 5, column notes: remove the control character U+0007" in message


def test_an_over_long_actor_name_is_refused_before_anything_is_written(story, tmp_path):
    message = _refused(_with(tmp_path, 2, actor2="A" * 201), story)
    assert "row 2, column actor2: a name longer than 200 characters" in message


def test_a_file_that_is_not_utf8_is_refused(story, tmp_path):
    path = _with(tmp_path, 3, notes="Clashes near Şuşa")
    path.write_bytes(path.read_bytes().replace("Ş".encode(), b"\xde"))  # Latin-5's Ş
    assert "is not UTF-8 text (byte 0xde at offset" in _refused(path, story)


def test_a_file_that_is_not_csv_is_refused(story, tmp_path):
    path = tmp_path / "story.json"
    path.write_text('{"events": [1, 2, 3]}', encoding="utf-8")
    assert "not in ACLED's layout" in _refused(path, story)


def test_a_binary_file_is_refused(story, tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x00\x01PNG\x00")
    assert "not a CSV file" in _refused(path, story)


def test_skip_bad_imports_the_other_rows_and_lists_the_skipped(story, tmp_path):
    output = run_import(_with(tmp_path, 3, event_date="the 19th"), story, "--skip-bad")
    assert set(Development.objects.filter(story=story).values_list("external_id", flat=True)) == {
        "TST0001", "TST0003", "TST0004"}
    assert "skipped row 3, column event_date" in output


@pytest.mark.parametrize("stamp", ["99999999999999999999", "253402300800"])
@pytest.mark.parametrize("skip_bad", [False, True])
def test_a_timestamp_out_of_range_is_a_listed_problem_not_a_traceback(story, tmp_path, stamp, skip_bad):
    path = _with(tmp_path, 3, timestamp=stamp)
    if skip_bad:
        output = run_import(path, story, "--skip-bad")
        assert "skipped row 3, column timestamp" in output
        assert not Development.objects.filter(story=story, external_id="TST0002").exists()
    else:
        assert "row 3, column timestamp" in _refused(path, story)


def test_a_bare_cr_inside_a_quoted_field_is_part_of_the_field_not_a_row_break(story, tmp_path):
    rows = sample_rows()
    rows[0]["notes"] = "Shelling reported.\rTown named later."
    run_import(write_csv(tmp_path / "cr.csv", rows), story)
    event = Development.objects.get(story=story, external_id=rows[0]["event_id_cnty"])
    assert event.summary == "Shelling reported.\rTown named later."
    assert Development.objects.filter(story=story).count() == len(rows)


def test_a_bare_cr_outside_quotes_is_a_listed_problem_by_row(story, tmp_path):
    rows = sample_rows()
    rows[0]["notes"] = "Shelling reported.\rTown named later."  # a writer that did not quote it
    assert "row 2, column (row)" in _refused(write_rows(tmp_path / "cr.csv", rows), story)


def test_a_week_that_leaves_the_calendar_is_a_listed_problem(story, tmp_path):
    path = _with(tmp_path, 3, event_date="9999-12-31", time_precision="2")
    assert "row 3, column event_date" in _refused(path, story)
