"""Bulk versions keep the rules of single ones: in a revision, based on the current version, never a no-op."""

from __future__ import annotations

import pytest

from events.models import Development
from events.services import developments_create, developments_update
from record.bulk import create_versions
from record.errors import NoChangeError, OutsideRevisionError, StaleVersionError
from record.models import Revision
from record.selectors import item_versions
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
