"""Writes to stories and developments: each call records one revision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from .models import Development, Revision, Story
from .selectors import version_get, version_values
from .versioning import revision, save_version


def check_edit_kind(kind: str) -> None:
    if kind not in Revision.EDIT_KINDS:
        raise ValueError(f"An edit is an update, a correction or a clarification, not {kind!r}.")


def story_create(*, author, message: str, at: dt.datetime | None = None, **fields: Any) -> Story:
    story = Story(**fields)
    story.full_clean(exclude=["version"])
    with transaction.atomic():
        # The row goes in first (as version 0, no history) so that its creating
        # revision can name the story, like every later revision of it does.
        story.skip_history_when_saving = True
        story.save()
        del story.skip_history_when_saving
        with revision(author=author, message=message, kind=Revision.Kind.CREATED,
                      story=story, at=at):
            return save_version(story, base_version=0, allow_no_change=True)


def story_update(
    *, author, story: Story, base_version: int, message: str, changes: dict[str, Any],
    kind: str = Revision.Kind.UPDATE, minor: bool = False, at: dt.datetime | None = None,
) -> Story:
    check_edit_kind(kind)
    with revision(author=author, message=message, kind=kind, story=story, minor=minor, at=at):
        return save_version(story, changes=changes, base_version=base_version)


def development_create(
    *, author, story: Story, message: str, at: dt.datetime | None = None, **fields: Any
) -> Development:
    m2m = {name: fields.pop(name) for name in ("actors", "sources") if name in fields}
    with revision(author=author, message=message, kind=Revision.Kind.CREATED, story=story, at=at):
        return save_version(Development(story=story, **fields), changes=m2m)


def development_update(
    *, author, development: Development, base_version: int, message: str,
    changes: dict[str, Any], kind: str = Revision.Kind.UPDATE, minor: bool = False,
    at: dt.datetime | None = None,
) -> Development:
    """Edit a development; `kind` says whether it is an update, correction or clarification."""
    check_edit_kind(kind)
    if "story" in changes or "story_id" in changes:
        raise ValueError("A development cannot move to another story.")
    with revision(author=author, message=message, kind=kind, story=development.story,
                  minor=minor, at=at):
        return save_version(development, changes=changes, base_version=base_version)


def development_retract(
    *, author, development: Development, base_version: int, reason: str,
    at: dt.datetime | None = None,
) -> Development:
    """Withdraw a development: a new version with the reason; nothing is deleted."""
    with revision(author=author, message=reason, kind=Revision.Kind.RETRACTION,
                  story=development.story, at=at):
        return save_version(
            development, base_version=base_version,
            changes={"status": Development.Status.RETRACTED, "retraction_reason": reason.strip()},
        )


def development_restore(
    *, author, development: Development, version: int, base_version: int, message: str,
    at: dt.datetime | None = None,
) -> Development:
    """Bring back an old version's content as a new version; the past is not rewritten."""
    old = version_get(Development, pk=development.pk, version=version)
    with revision(author=author, message=message, kind=Revision.Kind.RESTORE,
                  story=development.story, at=at):
        return save_version(development, changes=version_values(old), base_version=base_version)
