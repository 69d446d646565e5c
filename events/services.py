"""Writes to stories, developments, actors and sources: each call records one revision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from record.bulk import create_versions_from_values, update_versions
from record.models import Revision
from record.registry import register_item_services
from record.versioning import save_version

from .editing import (
    ItemServices,
    check_edit_kind,
    check_fixed,
    item_restore,
    item_update,
    story_revision,
)
from .models import Actor, Briefing, Development, Source, Story


def story_create(*, author, message: str, at: dt.datetime | None = None, **fields: Any) -> Story:
    story = Story(**fields)
    story.full_clean(exclude=["version"])
    with transaction.atomic():
        # The row goes in first (as version 0, no history) so that its creating
        # revision can name the story, like every later revision of it does.
        story.skip_history_when_saving = True
        story.save()
        del story.skip_history_when_saving
        with story_revision(author=author, message=message, kind=Revision.Kind.CREATED,
                            story=story, at=at):
            return save_version(story, base_version=0, allow_no_change=True)


def story_update(*, story: Story, **edit: Any) -> Story:
    return item_update(item=story, **edit)


def story_restore(*, story: Story, **restore: Any) -> Story:
    return item_restore(item=story, **restore)


def development_create(
    *, author, story: Story, message: str, at: dt.datetime | None = None, **fields: Any
) -> Development:
    m2m = {name: fields.pop(name) for name in ("actors", "sources") if name in fields}
    with story_revision(author=author, message=message, kind=Revision.Kind.CREATED,
                        story=story, at=at):
        return save_version(Development(story=story, **fields), changes=m2m)


def developments_create(
    *, author, story: Story, message: str, rows: list[dict[str, Any]], at: dt.datetime | None = None,
) -> list[Development]:
    """Many new developments of one story in one revision (an import's batch); `rows` are field dicts."""
    values, sets = [], []
    for fields in rows:
        fields = dict(fields)
        sets.append({name: fields.pop(name) for name in ("actors", "sources") if name in fields})
        values.append({**fields, "story": story})
    with story_revision(author=author, message=message, kind=Revision.Kind.CREATED, story=story, at=at):
        return create_versions_from_values(Development, values, sets=sets)


def developments_update(
    *, author, story: Story, message: str, edits: list[tuple[Development, dict[str, Any]]],
    kind: str = Revision.Kind.UPDATE, at: dt.datetime | None = None,
) -> list[Development]:
    """Edit many developments of one story in one revision; each edit is based on the version given."""
    if kind != Revision.Kind.RETRACTION:  # developments_retract's own kind
        check_edit_kind(kind)
    for development, changes in edits:
        if development.story_id != story.pk:
            raise ValueError("Every development of a batch edit belongs to the story named.")
        check_fixed(development, changes)
    with story_revision(author=author, message=message, kind=kind, story=story, at=at):
        return update_versions(Development, [(d.pk, d.version, changes) for d, changes in edits])


def developments_retract(
    *, author, story: Story, reason: str, developments: list[Development],
    at: dt.datetime | None = None,
) -> list[Development]:
    """Withdraw many developments with one reason, in one retraction revision."""
    changes = {"status": Development.Status.RETRACTED, "retraction_reason": reason.strip()}
    return developments_update(author=author, story=story, message=reason, kind=Revision.Kind.RETRACTION,
                               edits=[(d, changes) for d in developments], at=at)


def development_update(*, development: Development, **edit: Any) -> Development:
    """Edit a development; `kind` says whether it is an update, correction or clarification."""
    return item_update(item=development, **edit)


def development_retract(
    *, author, development: Development, base_version: int, reason: str,
    at: dt.datetime | None = None,
) -> Development:
    """Withdraw a development: a new version with the reason; nothing is deleted."""
    with story_revision(author=author, message=reason, kind=Revision.Kind.RETRACTION,
                        story=development.story, at=at):
        return save_version(
            development, base_version=base_version,
            changes={"status": Development.Status.RETRACTED, "retraction_reason": reason.strip()},
        )


def development_restore(*, development: Development, **restore: Any) -> Development:
    return item_restore(item=development, **restore)


def actor_create(*, author, message: str, at: dt.datetime | None = None, **fields: Any) -> Actor:
    with story_revision(author=author, message=message,
                        kind=Revision.Kind.CREATED, at=at):
        return save_version(Actor(**fields))


def actor_update(*, actor: Actor, **edit: Any) -> Actor:
    return item_update(item=actor, **edit)


def actor_restore(*, actor: Actor, **restore: Any) -> Actor:
    return item_restore(item=actor, **restore)


def source_create(*, author, message: str, at: dt.datetime | None = None, **fields: Any) -> Source:
    with story_revision(author=author, message=message,
                        kind=Revision.Kind.CREATED, at=at):
        return save_version(Source(**fields))


def source_update(*, source: Source, changes: dict[str, Any], **edit: Any) -> Source:
    """Edit a source; a new URL is not archived yet (its capture is queued when the revision commits)."""
    if "url" in changes and changes["url"] != source.url:
        changes = {**changes, "archived_at": None, "archive_sha256": "",
                   "archive_status": Source.ArchiveStatus.NONE}
    return item_update(item=source, changes=changes, **edit)


def source_restore(*, source: Source, **restore: Any) -> Source:
    return item_restore(item=source, **restore)


def briefing_create(
    *, author, story: Story, message: str, at: dt.datetime | None = None, **fields: Any
) -> Briefing:
    """A story's first "What we know"; later ones are edits of it."""
    with story_revision(author=author, message=message, kind=Revision.Kind.CREATED,
                        story=story, at=at):
        return save_version(Briefing(story=story, **fields))


def briefing_update(*, briefing: Briefing, **edit: Any) -> Briefing:
    return item_update(item=briefing, **edit)


def briefing_restore(*, briefing: Briefing, **restore: Any) -> Briefing:
    return item_restore(item=briefing, **restore)


# The writes of each item, found through the record's registry by the desk, the API and drafts.
register_item_services(Story, ItemServices("story", story_create, story_update, story_restore))
register_item_services(Development, ItemServices("development", development_create, development_update,
                                                 development_restore, development_retract))
register_item_services(Actor, ItemServices("actor", actor_create, actor_update, actor_restore))
register_item_services(Source, ItemServices("source", source_create, source_update, source_restore))
register_item_services(Briefing, ItemServices("briefing", briefing_create, briefing_update,
                                              briefing_restore))
