"""A revision's leaf built from the versions as written is byte for byte the leaf read back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import services as claim_services
from drafts import services as draft_services
from drafts.models import DraftRevision
from events import services
from events.editing import story_revision
from events.models import Development
from record.leaves import revision_lines
from record.models import LogLeaf, Revision
from record.selectors import history_model
from record.versioning import save_version
from tests.factories import make_actor, make_claim, make_development, make_reviewer, make_source, make_story

pytestmark = pytest.mark.django_db


def _read_back(revision_id: int) -> bytes:
    # A revision fresh from the database carries no notes: its leaf is read back.
    rev = Revision.objects.select_related("author").get(pk=revision_id)
    return next(revision_lines([rev])).encode("utf-8")


def _every_leaf_is_its_read_back() -> None:
    leaves = list(LogLeaf.objects.order_by("index"))
    assert leaves
    for leaf in leaves:
        assert bytes(leaf.data) == _read_back(leaf.revision_id), leaf.revision_id


def _with_sets(editor) -> Development:
    actors = [make_actor(author=editor) for _ in range(2)]
    sources = [make_source(author=editor) for _ in range(2)]
    development = make_development(author=editor, actors=[actors[1].pk, actors[0].pk])
    return services.development_update(
        author=editor, development=development, base_version=development.version,
        message="Sourced", changes={"sources": sources, "summary": "Ça a commencé — à l'aube"})


def test_a_development_with_actors_and_sources_is_signed_as_read_back(editor):
    development = _with_sets(editor)
    services.development_update(author=editor, development=development, base_version=development.version,
                                message="Kept sets", changes={"location": "Stepanakert"})
    _every_leaf_is_its_read_back()


def test_an_edit_leaf_reads_no_version_back(editor):
    development = _with_sets(editor)
    actors = vars(history_model(Development))["actors"].model._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        services.development_update(author=editor, development=development,
                                    base_version=development.version, message="Edit",
                                    changes={"summary": "Later"})
    read_back = [q for q in queries.captured_queries
                 if f'FROM "{actors}"' in q["sql"] or q["sql"].startswith('SELECT "drafts_draftrevision"')]
    assert not read_back
    _every_leaf_is_its_read_back()


def test_claims_and_briefings_are_signed_as_read_back(editor):
    claim = make_claim(author=editor, sources=[make_source(author=editor)])
    claim_services.claim_update(author=editor, claim=claim, base_version=claim.version,
                                message="Exact words", changes={"paraphrase": "Said so"})
    briefing = services.briefing_create(author=editor, story=make_story(author=editor),
                                        message="What we know", text="Little so far.")
    services.briefing_update(author=editor, briefing=briefing, base_version=briefing.version,
                             message="More", changes={"text": "More now."})
    _every_leaf_is_its_read_back()


def test_a_published_draft_and_its_link_are_signed_as_read_back(editor):
    development = make_development(author=editor)
    draft = draft_services.draft_create(author=editor, item_type="events.development", item=development,
                                        kind="correction", message="Town named",
                                        values={"title": "Shelling of Stepanakert"})
    draft = draft_services.draft_submit(draft=draft, user=editor)
    draft = draft_services.draft_approve(draft=draft, reviewer=make_reviewer())
    draft_services.draft_publish(draft=draft, publisher=editor)
    _every_leaf_is_its_read_back()


def test_retractions_and_restores_are_signed_as_read_back(editor):
    development = _with_sets(editor)
    development = services.development_retract(author=editor, development=development,
                                               base_version=development.version, reason="Not confirmed")
    services.development_restore(author=editor, development=development, version=2,
                                 base_version=development.version, message="Confirmed after all")
    _every_leaf_is_its_read_back()


def test_a_version_rolled_back_with_a_savepoint_is_not_in_the_leaf(editor):
    story = make_story(author=editor)
    kept = make_development(story=story, author=editor)
    with story_revision(author=editor, story=story, message="Two edits, one kept", kind="update"):
        save_version(kept, base_version=kept.version, changes={"summary": "Kept"})
        with pytest.raises(RuntimeError), transaction.atomic():
            save_version(Development(story=story, title="Dropped", kind=Development.Kind.STATEMENT,
                                     occurred_at=dt.datetime(2023, 9, 19, tzinfo=dt.UTC)))
            raise RuntimeError
    leaf = LogLeaf.objects.order_by("-index").first()
    assert b"Dropped" not in bytes(leaf.data) and b"Kept" in bytes(leaf.data)
    _every_leaf_is_its_read_back()


def test_a_link_rolled_back_with_a_savepoint_is_not_in_the_leaf(editor):
    development = make_development(author=editor)
    with story_revision(author=editor, story=development.story, message="Edit", kind="update") as rev:
        save_version(development, base_version=development.version, changes={"summary": "Edited"})
        with pytest.raises(RuntimeError), transaction.atomic():
            DraftRevision.objects.create(revision=rev, drafted_by=editor)
            raise RuntimeError
    assert b"drafted_by" not in bytes(LogLeaf.objects.get(revision_id=rev.id).data)
    _every_leaf_is_its_read_back()


def test_a_link_to_a_story_renamed_since_it_was_loaded_is_signed_with_its_new_name(editor):
    development = make_development(author=editor)
    stale = Development.objects.select_related("story").get(pk=development.pk)  # its story, loaded now
    story = development.story
    services.story_update(author=editor, story=story, base_version=story.version, message="Renamed",
                          changes={"slug": "renamed-story"})
    services.development_update(author=editor, development=stale, base_version=stale.version,
                                message="Edit", changes={"summary": "Later"})
    leaf = LogLeaf.objects.order_by("-index").first()
    assert b'"story":"renamed-story"' in bytes(leaf.data)
    assert bytes(leaf.data) == _read_back(leaf.revision_id)  # (older leaves read back show the new name)


def test_a_link_to_a_story_held_current_is_not_read_back(editor):
    development = make_development(author=editor)
    with CaptureQueriesContext(connection) as queries:
        services.development_update(author=editor, development=development, base_version=development.version,
                                    message="Edit", changes={"summary": "Later"})
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "events_storyrevision"')]
    _every_leaf_is_its_read_back()
