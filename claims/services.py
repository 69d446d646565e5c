"""Writes to claims: each call records one revision of the claim's story."""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.editing import (
    ItemServices,
    check_edit_kind,
    check_fixed,
    item_restore,
    item_update,
    story_revision,
)
from events.models import Development, Story
from record.bulk import create_versions_from_values, update_versions
from record.models import Revision
from record.registry import register_item_services
from record.versioning import save_version

from .models import Claim


def claim_create(
    *, author, development: Development, message: str, at: dt.datetime | None = None,
    **fields: Any,
) -> Claim:
    sources = {"sources": fields.pop("sources")} if "sources" in fields else {}
    with story_revision(author=author, message=message, kind=Revision.Kind.CREATED,
                        story=development.story, at=at):
        return save_version(Claim(development=development, **fields), changes=sources)


def claims_create(
    *, author, story: Story, message: str, rows: list[dict[str, Any]], at: dt.datetime | None = None,
) -> list[Claim]:
    """Many new claims about developments of one story, in one revision (an import's batch)."""
    values, sets = [], []
    for fields in rows:
        fields = dict(fields)
        sets.append({"sources": fields.pop("sources")} if "sources" in fields else {})
        values.append(fields)
    with story_revision(author=author, message=message, kind=Revision.Kind.CREATED, story=story, at=at):
        return create_versions_from_values(Claim, values, sets=sets)


def claims_update(
    *, author, story: Story, message: str, edits: list[tuple[Claim, dict[str, Any]]],
    kind: str = Revision.Kind.UPDATE, at: dt.datetime | None = None,
) -> list[Claim]:
    """Edit many claims of one story in one revision; each edit is based on the version given."""
    if kind != Revision.Kind.RETRACTION:
        check_edit_kind(kind)
    for claim, changes in edits:
        check_fixed(claim, changes)
    with story_revision(author=author, message=message, kind=kind, story=story, at=at):
        return update_versions(Claim, [(c.pk, c.version, changes) for c, changes in edits])


def claims_retract(
    *, author, story: Story, reason: str, claims: list[Claim], at: dt.datetime | None = None,
) -> list[Claim]:
    """Withdraw many claims with one reason, in one retraction revision (or the one open)."""
    changes = {"retracted": True, "retraction_reason": reason.strip()}
    return claims_update(author=author, story=story, message=reason, kind=Revision.Kind.RETRACTION,
                         edits=[(c, changes) for c in claims], at=at)


def claim_update(*, claim: Claim, **edit: Any) -> Claim:
    """Edit a claim; a change of verification status shows in the version diff."""
    return item_update(item=claim, **edit)


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
    with story_revision(author=author, message=reason, kind=Revision.Kind.RETRACTION,
                        story=claim.development.story, at=at):
        return save_version(
            claim, base_version=base_version,
            changes={"retracted": True, "retraction_reason": reason.strip()},
        )


def claim_restore(*, claim: Claim, **restore: Any) -> Claim:
    return item_restore(item=claim, **restore)


# The writes of a claim, found through the record's registry by the desk, the API and drafts.
register_item_services(Claim, ItemServices("claim", claim_create, claim_update, claim_restore, claim_retract))
