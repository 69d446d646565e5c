"""Revisions that belong to a story, and the one edit and restore of any versioned item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from record.models import Revision, Versioned
from record.progress import write_link
from record.selectors import version_get, version_values
from record.versioning import current_revision, revision, save_version

from .models import Story, StoryRevision

V = TypeVar("V", bound=Versioned)


@contextmanager
def story_revision(*, story: Story | None = None, **opened: Any) -> Iterator[Revision]:
    """`record.versioning.revision(...)`, noting the story the revision belongs to.

    A nested call joins the open revision (and its story), as revision() does.
    """
    joining = current_revision() is not None
    with revision(**opened) as rev:
        if not joining and story is not None:
            write_link(StoryRevision(revision=rev, story=story))
        yield rev


def story_of(item: Versioned) -> Story | None:
    """The story an item's revisions belong to (None for actors and sources)."""
    return item.revision_story() if hasattr(item, "revision_story") else None


def check_edit_kind(kind: str) -> None:
    if kind not in Revision.EDIT_KINDS:
        raise ValueError(f"An edit is an update, a correction or a clarification, not {kind!r}.")


def check_fixed(item: Versioned, changes: dict[str, Any]) -> None:
    # What an item belongs to never changes: a development stays in its story.
    for name in getattr(item, "FIXED_FIELDS", ()):
        if name in changes or f"{name}_id" in changes:
            field = item._meta.get_field(name)
            raise ValueError(f"A {item._meta.verbose_name} cannot move to another {field.verbose_name}.")


def item_update(
    *, author, item: V, base_version: int, message: str, changes: dict[str, Any],
    kind: str = Revision.Kind.UPDATE, minor: bool = False, at: dt.datetime | None = None,
) -> V:
    """Edit any versioned item; `kind` says whether it is an update, correction or clarification."""
    check_edit_kind(kind)
    check_fixed(item, changes)
    with story_revision(story=story_of(item), author=author, message=message, kind=kind,
                        minor=minor, at=at):
        return save_version(item, changes=changes, base_version=base_version)


def item_restore(
    *, author, item: V, version: int, base_version: int, message: str,
    at: dt.datetime | None = None,
) -> V:
    """Bring back an old version's content as a new version; the past is not rewritten."""
    old = version_get(type(item), pk=item.pk, version=version)
    with story_revision(story=story_of(item), author=author, message=message,
                        kind=Revision.Kind.RESTORE, at=at):
        return save_version(item, changes=version_values(old), base_version=base_version)


@dataclass(frozen=True)
class ItemServices:
    """The writes of one kind of item, as the desk and the API call them.

    `arg` is the services' keyword for the item ("development", "claim").
    """

    arg: str
    create: Callable[..., Versioned]
    update: Callable[..., Versioned]
    restore: Callable[..., Versioned]
    retract: Callable[..., Versioned] | None = None
