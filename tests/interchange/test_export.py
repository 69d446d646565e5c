"""Exporting a story in ACLED's layout gives back every column that was imported."""

from __future__ import annotations

import pytest

from events.models import Development
from tests.factories import make_development, make_story

from .support import DELETIONS, SAMPLE, run_export, run_import, sample_rows, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def story(editor):
    return make_story(author=editor, slug="acled-export")


def test_import_then_export_reproduces_every_column(story):
    run_import(SAMPLE, story)
    exported = {row["event_id_cnty"]: row for row in run_export(story)}
    for row in sample_rows():
        assert exported[row["event_id_cnty"]] == row


def test_an_unknown_column_is_kept_and_written_back(story):
    run_import(SAMPLE, story)
    exported = {row["event_id_cnty"]: row for row in run_export(story)}
    assert exported["TST0001"]["extra_column"] == "kept as given"


def test_an_edited_development_exports_its_new_values(story, editor):
    from events.services import development_update

    run_import(SAMPLE, story)
    event = Development.objects.get(story=story, external_id="TST0003")
    development_update(author=editor, development=event, base_version=event.version, message="Moved",
                       changes={"latitude": 40.4093, "occurred_precision": "day"})
    row = next(row for row in run_export(story) if row["event_id_cnty"] == "TST0003")
    assert (row["latitude"], row["time_precision"]) == ("40.4093", "1")


def test_retracted_events_are_left_out_as_acled_leaves_out_deletions(story):
    run_import(SAMPLE, story, "--deletions", str(DELETIONS))
    assert "TST0002" not in {row["event_id_cnty"] for row in run_export(story)}


def test_a_development_entered_by_hand_is_exported_with_a_tracker_id(story, editor):
    development = make_development(story, author=editor, occurred_precision="month")
    (row,) = run_export(story)
    assert (row["event_id_cnty"], row["time_precision"]) == (f"TRK{development.pk}", "3")


@pytest.mark.parametrize("formula", ["=1+2", "@SUM(A1:A9)", "+cmd", '=HYPERLINK("http://x.test","x")',
                                     "\t=1+1", "-2+3", "\r=1"])
def test_a_formula_cell_is_written_behind_an_apostrophe(story, tmp_path, formula):
    rows = sample_rows()
    rows[0]["notes"] = rows[0]["assoc_actor_1"] = formula
    rows[0]["extra_column"] = formula
    run_import(write_csv(tmp_path / "formula.csv", rows), story)
    row = next(row for row in run_export(story) if row["event_id_cnty"] == rows[0]["event_id_cnty"])
    assert (row["notes"], row["assoc_actor_1"], row["extra_column"]) == (f"'{formula}",) * 3


def test_numbers_with_a_sign_are_data_and_written_as_they_are(story, tmp_path):
    rows = sample_rows()
    rows[0].update(latitude="-39.8177", longitude="-46.7528", extra_column="+3")
    run_import(write_csv(tmp_path / "signed.csv", rows), story)
    row = next(row for row in run_export(story) if row["event_id_cnty"] == rows[0]["event_id_cnty"])
    assert (row["latitude"], row["longitude"], row["extra_column"]) == ("-39.8177", "-46.7528", "+3")


def test_a_bare_cr_in_a_field_survives_import_and_export(story, tmp_path):
    rows = sample_rows()
    rows[0]["notes"] = "Shelling reported.\rTown named later."
    run_import(write_csv(tmp_path / "cr.csv", rows), story)
    exported = {row["event_id_cnty"]: row for row in run_export(story)}
    for row in rows:
        assert exported[row["event_id_cnty"]] == row
