"""Writes to actors, sources and claims: each call records one revision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.models import Development, Revision
from events.selectors import version_get, version_values
from events.services import check_edit_kind
from events.versioning import revision, save_version

from .models import Actor, Claim, Source


def actor_create(*, author, message: str, at: dt.datetime | None = None, **fields: Any) -> Actor:
    with revision(author=author, message=message, kind=Revision.Kind.CREATED, at=at):
        return save_version(Actor(**fields))


def actor_update(
    *, author, actor: Actor, base_version: int, message: str, changes: dict[str, Any],
    kind: str = Revision.Kind.UPDATE, minor: bool = False, at: dt.datetime | None = None,
) -> Actor:
    check_edit_kind(kind)
    with revision(author=author, message=message, kind=kind, minor=minor, at=at):
        return save_version(actor, changes=changes, base_version=base_version)


def source_create(*, author, message: str, at: dt.datetime | None = None, **fields: Any) -> Source:
    with revision(author=author, message=message, kind=Revision.Kind.CREATED, at=at):
        return save_version(Source(**fields))


def source_update(
    *, author, source: Source, base_version: int, message: str, changes: dict[str, Any],
    kind: str = Revision.Kind.UPDATE, minor: bool = False, at: dt.datetime | None = None,
) -> Source:
    check_edit_kind(kind)
    with revision(author=author, message=message, kind=kind, minor=minor, at=at):
        return save_version(source, changes=changes, base_version=base_version)


def actor_restore(
    *, author, actor: Actor, version: int, base_version: int, message: str,
    at: dt.datetime | None = None,
) -> Actor:
    """Bring back an old version of an actor as a new version."""
    old = version_get(Actor, pk=actor.pk, version=version)
    with revision(author=author, message=message, kind=Revision.Kind.RESTORE, at=at):
        return save_version(actor, changes=version_values(old), base_version=base_version)


def source_restore(
    *, author, source: Source, version: int, base_version: int, message: str,
    at: dt.datetime | None = None,
) -> Source:
    """Bring back an old version of a source as a new version."""
    old = version_get(Source, pk=source.pk, version=version)
    with revision(author=author, message=message, kind=Revision.Kind.RESTORE, at=at):
        return save_version(source, changes=version_values(old), base_version=base_version)


def claim_create(
    *, author, development: Development, message: str, at: dt.datetime | None = None,
    **fields: Any,
) -> Claim:
    sources = {"sources": fields.pop("sources")} if "sources" in fields else {}
    with revision(author=author, message=message, kind=Revision.Kind.CREATED,
                  story=development.story, at=at):
        return save_version(Claim(development=development, **fields), changes=sources)


def claim_update(
    *, author, claim: Claim, base_version: int, message: str, changes: dict[str, Any],
    kind: str = Revision.Kind.UPDATE, minor: bool = False, at: dt.datetime | None = None,
) -> Claim:
    """Edit a claim; a change of verification status shows in the version diff."""
    check_edit_kind(kind)
    if "development" in changes or "development_id" in changes:
        raise ValueError("A claim cannot move to another development.")
    with revision(author=author, message=message, kind=kind, story=claim.development.story,
                  minor=minor, at=at):
        return save_version(claim, changes=changes, base_version=base_version)


def claim_verify(
    *, author, claim: Claim, base_version: int, verification: str, note: str, message: str,
    at: dt.datetime | None = None,
) -> Claim:
    """Record a new verification status (unverified -> disputed, ...) with its note."""
    return claim_update(
        author=author, claim=claim, base_version=base_version, message=message, at=at,
        changes={"verification": verification, "verification_note": note},
    )


def claim_retract(
    *, author, claim: Claim, base_version: int, reason: str, at: dt.datetime | None = None,
) -> Claim:
    """Withdraw a claim: a new version with the reason; nothing is deleted."""
    with revision(author=author, message=reason, kind=Revision.Kind.RETRACTION,
                  story=claim.development.story, at=at):
        return save_version(
            claim, base_version=base_version,
            changes={"retracted": True, "retraction_reason": reason.strip()},
        )


def claim_restore(
    *, author, claim: Claim, version: int, base_version: int, message: str,
    at: dt.datetime | None = None,
) -> Claim:
    """Bring back an old version of a claim as a new version; the past is not rewritten."""
    old = version_get(Claim, pk=claim.pk, version=version)
    with revision(author=author, message=message, kind=Revision.Kind.RESTORE,
                  story=claim.development.story, at=at):
        return save_version(claim, changes=version_values(old), base_version=base_version)
