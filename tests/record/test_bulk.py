"""Bulk versions keep the rules of single ones: in a revision, based on the current version, never a no-op."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from events.editing import story_revision
from events.models import Development
from events.services import developments_create, developments_update
from record.bulk import create_versions, create_versions_from_values
from record.errors import NoChangeError, OutsideRevisionError, StaleVersionError
from record.leaves import leaf_bytes
from record.models import LogLeaf, Revision
from record.selectors import item_versions
from record.versioning import save_version
from tests.factories import make_actor, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ROW = {"title": "Shelling", "kind": "military_action", "occurred_at": "2023-09-19T00:00:00Z"}


def test_many_developments_are_one_revision_with_a_version_and_sets_each(editor):
    story, actor = make_story(author=editor), make_actor(author=editor)
    before = Revision.objects.count()
    made = developments_create(author=editor, story=story, message="Imported",
                               rows=[{**ROW, "title": f"Event {n}", "actors": [actor.pk]} for n in range(3)])
    assert Revision.objects.count() == before + 1
    for development in made:
        (version,) = item_versions(Development, development.pk, with_sets=True)
        assert version.version == 1 and list(development.actors.values_list("pk", flat=True)) == [actor.pk]
        assert [row.actor_id for row in version.actors.all()] == [actor.pk]


def test_an_edit_based_on_an_old_version_writes_nothing(editor):
    story = make_story(author=editor)
    (development,) = developments_create(author=editor, story=story, message="Imported", rows=[ROW])
    developments_update(author=editor, story=story, message="Edit", edits=[(development, {"summary": "a"})])
    revisions = Revision.objects.count()
    with pytest.raises(StaleVersionError):
        developments_update(author=editor, story=story, message="Late",
                            edits=[(development, {"summary": "b"})])
    assert Revision.objects.count() == revisions
    assert Development.objects.get(pk=development.pk).summary == "a"


def test_an_edit_that_changes_nothing_is_refused(editor):
    story = make_story(author=editor)
    (development,) = developments_create(author=editor, story=story, message="Imported", rows=[ROW])
    with pytest.raises(NoChangeError):
        developments_update(author=editor, story=story, message="Same",
                            edits=[(development, {"title": "Shelling"})])


def test_bulk_versions_need_an_open_revision(editor):
    with pytest.raises(OutsideRevisionError):
        create_versions([Development(story=make_story(author=editor), **ROW)])


def test_a_bad_row_fails_the_whole_batch(editor):
    story = make_story(author=editor)
    before = (Revision.objects.count(), Development.objects.count())
    with pytest.raises(Exception, match="latitude"):
        developments_create(author=editor, story=story, message="Imported",
                            rows=[ROW, {**ROW, "latitude": 95.0, "longitude": 10.0}])
    assert (Revision.objects.count(), Development.objects.count()) == before


def test_a_bulk_revisions_leaf_is_what_reading_its_versions_back_gives(editor):
    story, actor = make_story(author=editor), make_actor(author=editor)
    away = dt.timezone(dt.timedelta(hours=3))
    with story_revision(author=editor, story=story, kind=Revision.Kind.CREATED, message="Imported") as rev:
        developments_create(author=editor, story=story, message="Imported",
                            rows=[{**ROW, "occurred_at": dt.datetime(2023, 9, 19, 4, tzinfo=away),
                                   "actors": [actor.pk], "latitude": 39.5, "longitude": 45.25,
                                   "external_data": {"z": "1", "a": "é"}}])
        developments_create(author=editor, story=story, message="Imported", rows=[ROW, ROW])
    assert _stored_leaf(rev) == leaf_bytes(Revision.objects.select_related("author").get(pk=rev.pk))


def test_a_revision_writing_versions_in_bulk_and_one_by_one_has_them_all_in_its_leaf(editor):
    story = make_story(author=editor)
    with story_revision(author=editor, story=story, kind=Revision.Kind.CREATED, message="Imported") as rev:
        developments_create(author=editor, story=story, message="Imported", rows=[ROW])
        save_version(Development(story=story, **{**ROW, "title": "One by one"}))
    stored = _stored_leaf(rev)
    assert stored == leaf_bytes(Revision.objects.select_related("author").get(pk=rev.pk))
    assert b"One by one" in stored


def _stored_leaf(rev: Revision) -> bytes:
    return bytes(LogLeaf.objects.get(revision=rev).data)


def test_bulk_validation_refuses_with_the_models_own_messages(editor):
    story = make_story(author=editor)
    row = {**ROW, "title": "x" * 300, "summary": "bad\x07text", "latitude": 95.0}
    with pytest.raises(ValidationError) as refused:
        developments_create(author=editor, story=story, message="Imported", rows=[ROW, row])
    with pytest.raises(ValidationError) as one_by_one:
        Development(story=story, **row).full_clean(exclude=["version", "story"], validate_unique=False,
                                                    validate_constraints=False)
    assert refused.value.message_dict == one_by_one.value.message_dict
    assert set(refused.value.message_dict) == {"title", "summary", "latitude", "longitude"}


def test_versions_written_in_bulk_then_rolled_back_stay_out_of_the_leaf(editor):
    story = make_story(author=editor)
    with story_revision(author=editor, story=story, kind=Revision.Kind.CREATED, message="Imported") as rev:
        with pytest.raises(RuntimeError), transaction.atomic():
            developments_create(author=editor, story=story, message="Imported",
                                rows=[{**ROW, "title": "Rolled back"}])
            raise RuntimeError
        save_version(Development(story=story, **{**ROW, "title": "Kept"}))  # as many as rolled back
    stored = _stored_leaf(rev)
    assert stored == leaf_bytes(Revision.objects.select_related("author").get(pk=rev.pk))
    assert b"Kept" in stored and b"Rolled back" not in stored


def _history_rows(rev: Revision) -> list[dict]:
    """What a revision wrote to the developments' history, less what differs by item (ids, time)."""
    rows = Development.history.filter(revision=rev).order_by("history_id").values()
    return [{k: v for k, v in row.items() if k not in {"id", "history_id", "revision_id", "history_date"}}
            for row in rows]


def test_rows_given_as_plain_values_write_the_same_versions_as_model_rows(editor):
    story, actor = make_story(author=editor), make_actor(author=editor)
    row = {**ROW, "occurred_at": dt.datetime(2023, 9, 19, 4, tzinfo=dt.UTC), "latitude": 39.5,
           "longitude": 45.25, "external_data": {"z": "1", "a": "é"}}
    written = []
    for create in (lambda: create_versions([Development(story=story, **row)], sets=[{"actors": [actor]}]),
                   lambda: create_versions_from_values(Development, [{**row, "story": story}],
                                                       sets=[{"actors": [actor]}])):
        with story_revision(author=editor, story=story, kind=Revision.Kind.CREATED, message="Both") as rev:
            (made,) = create()
        assert _stored_leaf(rev) == leaf_bytes(Revision.objects.select_related("author").get(pk=rev.pk))
        assert made.version == 1 and list(made.actors.values_list("pk", flat=True)) == [actor.pk]
        written.append(_history_rows(rev))
    assert written[0] == written[1] and written[0][0]["external_data"] == {"z": "1", "a": "é"}


def test_plain_values_name_a_relation_by_item_or_by_id(editor):
    story = make_story(author=editor)
    with story_revision(author=editor, story=story, kind=Revision.Kind.CREATED, message="Both"):
        made = create_versions_from_values(Development, [{**ROW, "story": story},
                                                         {**ROW, "story_id": story.pk}])
    assert [development.story_id for development in made] == [story.pk, story.pk]


def test_plain_values_naming_no_field_are_refused_as_a_model_row_would_be(editor):
    story = make_story(author=editor)
    with (story_revision(author=editor, story=story, kind=Revision.Kind.CREATED, message="Typo"),
          pytest.raises(TypeError, match="titel")):
        create_versions_from_values(Development, [{**ROW, "story": story, "titel": "Shelling"}])
