"""Importing ACLED's layout: developments, actors, sources, coded figures; the update and deletion sync."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim
from events.models import Actor, Development, Source
from publiclog.audit import audit_log
from record.models import LogLeaf, Revision
from tests.factories import make_actor, make_story

from .support import DELETIONS, SAMPLE, run_import, sample_rows, write_rows

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def story(editor):
    return make_story(author=editor, slug="acled-test")


def _imported(story) -> dict[str, Development]:
    return {d.external_id: d for d in Development.objects.filter(story=story)}


def test_each_row_becomes_a_development_with_its_time_precision(story):
    run_import(SAMPLE, story)
    found = _imported(story)
    assert set(found) == {"TST0001", "TST0002", "TST0003", "TST0004"}
    assert {key: d.occurred_precision for key, d in found.items()} == {
        "TST0001": "day", "TST0002": "week", "TST0003": "month", "TST0004": "day"}
    assert found["TST0001"].occurred_at == dt.datetime(2023, 9, 19, tzinfo=dt.UTC)


def test_kind_follows_the_event_type(story):
    run_import(SAMPLE, story)
    found = _imported(story)
    assert found["TST0001"].kind == Development.Kind.MILITARY_ACTION
    assert found["TST0003"].kind == Development.Kind.NEGOTIATION  # Strategic developments: Agreement


def test_the_place_is_kept_with_its_precision_and_country(story):
    run_import(SAMPLE, story)
    event = _imported(story)["TST0002"]
    assert (event.latitude, event.longitude, event.geo_precision) == (39.7917, 47.11, "near")
    assert (event.location, event.admin1, event.country) == ("Khojavend", "Khojavend", "AZ")


def test_actors_are_found_by_name_or_created(story, editor):
    known = make_actor(author=editor, name="Military Forces of Azerbaijan (2003-)", kind=Actor.Kind.MILITARY)
    run_import(SAMPLE, story)
    event = _imported(story)["TST0002"]
    names = set(event.actors.values_list("name", flat=True))
    assert names == {"Military Forces of Azerbaijan (2003-)", "Civilians (Armenia)", "Test Villagers"}
    assert Actor.objects.filter(name=known.name).count() == 1
    assert Actor.objects.get(name="Military Forces of Artsakh").kind == Actor.Kind.ARMED_GROUP


def test_sources_are_found_by_outlet(story):
    run_import(SAMPLE, story)
    event = _imported(story)["TST0001"]
    assert set(event.sources.values_list("outlet", flat=True)) == {"Test Wire", "Test Ministry of Defence"}
    assert Source.objects.filter(outlet="Test Wire").count() == 1


def test_each_event_has_a_figure_claim_by_the_coding_organisation(story):
    run_import(SAMPLE, story)
    claim = Claim.objects.get(development=_imported(story)["TST0001"])
    assert (claim.actor.name, claim.claim_type, claim.figure_unit) == ("ACLED", "figure", "deaths")
    assert (claim.figure_low, claim.figure_best, claim.figure_high) == (None, 12, None)
    assert claim.figure_qualifier == Claim.Qualifier.APPROXIMATELY
    assert "coded estimate" in claim.figure_note.lower()
    assert claim.made_on == dt.date(2023, 9, 20)  # ACLED's timestamp: when it coded the figure
    assert set(claim.sources.values_list("outlet", flat=True)) == {"Test Wire", "Test Ministry of Defence"}


def test_a_changed_row_becomes_a_new_version_of_kind_update_naming_the_file(story, tmp_path):
    run_import(SAMPLE, story)
    rows = sample_rows()
    rows[0].update(fatalities="15", timestamp="1695513600", notes="Test fixture: revised.")
    newer = write_rows(tmp_path / "acled_newer.csv", rows)
    output = run_import(newer, story)
    event = _imported(story)["TST0001"]
    assert (event.version, event.summary) == (2, "Test fixture: revised.")
    latest = Revision.objects.order_by("-id").first()
    assert latest.kind == Revision.Kind.UPDATE and "acled_newer.csv" in latest.message
    claim = Claim.objects.get(development=event)
    assert (claim.version, claim.figure_best) == (2, 15)
    assert _imported(story)["TST0002"].version == 1
    assert "0 new, 1 updated, 3 unchanged" in output


def test_a_changed_actor_column_changes_the_developments_actors(story, tmp_path):
    run_import(SAMPLE, story)
    rows = sample_rows()
    rows[0].update(actor2="Test Volunteer Battalion", timestamp="1695513600")
    run_import(write_rows(tmp_path / "acled_newer.csv", rows), story)
    event = _imported(story)["TST0001"]
    assert set(event.actors.values_list("name", flat=True)) == {
        "Military Forces of Azerbaijan (2003-)", "Test Volunteer Battalion"}
    assert event.version == 2


def test_a_deletion_list_retracts_the_events_with_a_reason(story):
    run_import(SAMPLE, story)
    output = run_import(SAMPLE, story, "--deletions", str(DELETIONS))
    event = _imported(story)["TST0002"]
    assert event.status == Development.Status.RETRACTED
    assert "acled_deletions.csv" in event.retraction_reason
    assert Claim.objects.get(development=event).retracted
    assert Revision.objects.order_by("-id").first().kind == Revision.Kind.RETRACTION
    assert "TST9999: no such event" in output


def test_every_leaf_an_import_writes_is_what_the_database_gives_back(story, tmp_path):
    # The bulk path writes each revision's leaf from the versions as written: the
    # audit recomputes every leaf from the database (new events, updates, sets, deletions).
    run_import(SAMPLE, story)
    rows = sample_rows()
    rows[0].update(actor2="Test Volunteer Battalion", fatalities="15", timestamp="1695513600")
    run_import(write_rows(tmp_path / "acled_newer.csv", rows), story, "--deletions", str(DELETIONS))
    audit = audit_log()
    assert audit.problems == [] and audit.leaves == LogLeaf.objects.count() > 0
