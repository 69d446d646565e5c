"""The service layer: one revision per call, optimistic concurrency, no silent edits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.models import Development
from record.errors import EmptyMessageError, NoChangeError, OutsideRevisionError, StaleVersionError
from record.models import Revision
from record.selectors import item_versions
from tests.factories import make_development, make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_creating_a_development_records_version_one_in_a_created_revision():
    development = make_development()
    version = development.history.get()
    assert development.version == 1
    assert version.version == 1
    assert version.revision.kind == Revision.Kind.CREATED


def test_an_update_records_a_new_version_in_its_own_revision(editor):
    development = make_development()
    updated = services.development_update(
        author=editor, development=development, base_version=1, message="Ended within a day",
        changes={"summary": "It ended within a day."},
    )
    versions = list(item_versions(Development, development.pk))
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].summary == "It ended within a day."
    assert versions[1].revision.message == "Ended within a day"
    assert versions[1].revision.author == editor
    assert updated.version == 2


def test_a_stale_edit_is_refused_and_the_newer_version_survives(editor):
    development = make_development(title="First")
    services.development_update(
        author=editor, development=development, base_version=1, message="Editor A",
        changes={"title": "Editor A's title"},
    )
    with pytest.raises(StaleVersionError) as refused:
        services.development_update(
            author=make_user(), development=development, base_version=1, message="Editor B",
            changes={"title": "Editor B's title"},
        )
    assert refused.value.current_version == 2
    current = Development.objects.get(pk=development.pk)
    assert current.title == "Editor A's title"
    assert current.history.count() == 2
    assert not Revision.objects.filter(message="Editor B").exists()


def test_an_empty_message_is_refused(editor):
    development = make_development()
    with pytest.raises(EmptyMessageError):
        services.development_update(
            author=editor, development=development, base_version=1, message="   ",
            changes={"title": "New"},
        )
    assert development.history.count() == 1


def test_an_edit_that_changes_nothing_is_refused(editor):
    development = make_development(title="Same")
    with pytest.raises(NoChangeError):
        services.development_update(
            author=editor, development=development, base_version=1, message="No-op",
            changes={"title": "Same"},
        )
    assert development.history.count() == 1


def test_invalid_content_is_refused_with_field_errors_and_nothing_saved(editor):
    story = make_story()
    with pytest.raises(ValidationError) as refused:
        services.development_create(
            author=editor, story=story, message="Bad dates", title="Backwards",
            kind=Development.Kind.OTHER, occurred_at=dt.datetime(2023, 9, 20, tzinfo=dt.UTC),
            ended_at=dt.datetime(2023, 9, 19, tzinfo=dt.UTC),
        )
    assert "ended_at" in refused.value.message_dict
    assert not Development.objects.filter(title="Backwards").exists()


def test_a_correction_is_a_revision_of_kind_correction(editor):
    development = make_development()
    services.development_update(
        author=editor, development=development, base_version=1, kind=Revision.Kind.CORRECTION,
        message="Wrong date", changes={"occurred_at": dt.datetime(2023, 9, 20, tzinfo=dt.UTC)},
    )
    assert development.history.get(version=2).revision.kind == Revision.Kind.CORRECTION


def test_a_retraction_keeps_the_development_with_its_reason(editor):
    development = make_development()
    retracted = services.development_retract(
        author=editor, development=development, base_version=1, reason="Single unverified source",
    )
    assert retracted.status == Development.Status.RETRACTED
    assert retracted.retraction_reason == "Single unverified source"
    assert retracted.history.get(version=2).revision.kind == Revision.Kind.RETRACTION
    assert Development.objects.filter(pk=development.pk).exists()


def test_restoring_an_old_version_adds_a_new_version_with_its_content(editor):
    development = make_development(title="Original")
    services.development_update(
        author=editor, development=development, base_version=1, message="Rename",
        changes={"title": "Renamed"},
    )
    restored = services.development_restore(
        author=editor, development=development, version=1, base_version=2, message="Undo rename",
    )
    assert restored.title == "Original"
    assert [v.title for v in item_versions(Development, development.pk)] == [
        "Original", "Renamed", "Original"
    ]
    assert restored.history.get(version=3).revision.kind == Revision.Kind.RESTORE


def test_many_to_many_changes_are_part_of_the_version(editor):
    from tests.factories import make_actor

    first, second = make_actor(), make_actor()
    development = make_development(actors=[first])
    services.development_update(
        author=editor, development=development, base_version=1, message="Second actor",
        changes={"actors": [first, second]},
    )
    versions = list(item_versions(Development, development.pk))
    assert [sorted(r.actor_id for r in v.actors.all()) for v in versions] == [
        [first.pk], sorted([first.pk, second.pk])
    ]


def test_a_save_outside_the_services_is_refused():
    development = make_development()
    development.title = "Sneaky"
    with pytest.raises(OutsideRevisionError):
        development.save()


def test_a_back_dated_revision_cannot_land_before_the_log(editor):
    from record.errors import RevisionOrderError

    make_development()
    with pytest.raises(RevisionOrderError):
        make_story(at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
