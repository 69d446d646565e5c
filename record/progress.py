"""A revision in progress: the open revision and what it has written so far.

Every writer inside a revision (`save_version`, the bulk writer, a domain's
link) notes here what it wrote, as it wrote it; the revision's leaf in the
public log and the summary sent when it commits are computed from these notes
(see record.leaves and record.summary). One object per open revision, held in
a context variable for the length of the `revision()` block.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection

from .models import Revision

if TYPE_CHECKING:
    from .models import RevisionLink, Versioned


@dataclass
class WrittenVersion:
    """One version as written: its history id and column values, and its sets by field name."""

    history_id: int
    values: dict
    sets: dict[str, list[int]]


@dataclass
class RevisionInProgress:
    revision: Revision
    # Versioned models with versions in this revision (bulk writes included).
    models: set = field(default_factory=set)
    # The versions noted as written, per model, in write order.
    versions: dict[type[Versioned], list[WrittenVersion]] = field(default_factory=dict)
    # The domains' links written in this revision, per link model.
    links: dict[type[RevisionLink], RevisionLink] = field(default_factory=dict)
    # Many-to-many sets simple-history wrote for a version before the version itself is noted.
    pending_sets: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    def note_versions(self, model: type[Versioned], written: list[WrittenVersion]) -> None:
        self.models.add(model)
        self.versions.setdefault(model, []).extend(written)

    def note_model(self, model: type[Versioned]) -> None:
        self.models.add(model)

    def note_link(self, link: RevisionLink) -> None:
        self.links[type(link)] = link


_open: contextvars.ContextVar[RevisionInProgress | None] = contextvars.ContextVar(
    "revision_in_progress", default=None
)


def in_progress() -> RevisionInProgress | None:
    """The revision being written in this context, with what it wrote so far."""
    return _open.get()


def current_revision() -> Revision | None:
    progress = _open.get()
    return progress.revision if progress is not None else None


def opened(progress: RevisionInProgress) -> contextvars.Token:
    return _open.set(progress)


def closed(token: contextvars.Token) -> None:
    _open.reset(token)


def write_link(link: RevisionLink) -> RevisionLink:
    """Save a domain's link on the open revision and note it, for the revision's leaf."""
    link.save(force_insert=True)
    progress = _open.get()
    if progress is not None and link.revision_id == progress.revision.id:
        progress.note_link(link)
    return link


def lock_revision_log() -> None:
    # Taken inside the transaction and held until commit, so a revision with
    # a higher id can never become visible before one with a lower id: the
    # change feed's `after=<id>` cursor then never skips a late commit.
    # SQLite needs nothing more: IMMEDIATE transactions already serialise writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Revision._meta.db_table} IN EXCLUSIVE MODE")
