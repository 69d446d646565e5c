"""Writes to drafts: save, submit, approve, send back, schedule, publish, discard; each step recorded.

A draft is held apart from the revision log: nothing here writes a revision
except publishing, which goes through the item's own services (the one service
table), with the same optimistic concurrency as any edit, and writes exactly
one revision whose author is the publisher; who drafted and who reviewed it
are noted on that revision (drafts.models.DraftRevision) in its transaction.
Each step locks the draft's row first, so two editors acting at once are
served one after the other and the second is told what the first did.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from events.editing import story_of
from record.errors import StaleVersionError
from record.models import Revision, Versioned
from record.progress import write_link
from record.validators import refuse_control_characters
from record.versioning import noting

from .errors import DraftConflict, DraftForbidden, DraftInvalid
from .models import Draft, DraftEvent, DraftRevision
from .notifications import draft_stepped
from .proposal import candidate, fingerprint, item_model, service_values, services_of, to_json

REVIEW_PERMISSION = "drafts.review_draft"


# --- who may do what ----------------------------------------------------------

def may_write(user, model: type[Versioned], *, creating: bool) -> bool:
    verb = "add" if creating else "change"
    return bool(user and user.is_active and
                user.has_perm(f"{model._meta.app_label}.{verb}_{model._meta.model_name}"))


def is_reviewer(user) -> bool:
    return bool(user and user.is_active and user.has_perm(REVIEW_PERMISSION))


def _require_writer(user, draft: Draft) -> None:
    if not may_write(user, item_model(draft.item_type), creating=draft.is_new_item):
        raise DraftForbidden(f"You may not write {draft.item_type} items.")


def approval_holds(draft: Draft) -> bool:
    """Approved by a reviewer other than the author, and unchanged since."""
    return (draft.state == Draft.State.APPROVED and draft.reviewer_id is not None
            and draft.reviewer_id != draft.author_id
            and draft.approved_fingerprint == fingerprint(draft))


# --- saving ------------------------------------------------------------------

def _check_kind(model: type[Versioned], kind: str, *, creating: bool) -> str:
    if creating:
        return Revision.Kind.CREATED
    allowed = [*Revision.EDIT_KINDS]
    if services_of(model).retract is not None:
        allowed.append(Revision.Kind.RETRACTION)
    if kind not in allowed:
        raise DraftInvalid(f"A draft edit is {', '.join(allowed)}, not {kind!r}.")
    return kind


def _clean_message(message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Say what changed and why."})
    try:
        refuse_control_characters(message)
    except ValidationError as refused:
        raise ValidationError({"message": refused}) from None
    return message


def _record(draft: Draft, action: str, actor, comment: str = "") -> DraftEvent:
    return DraftEvent.objects.create(draft=draft, action=action, actor=actor, at=timezone.now(),
                                     comment=comment)


def _proposal(model, item, values: dict[str, Any], kind: str) -> tuple[dict, Any]:
    """(stored fields, the story) of a proposal, checked as the item would be saved."""
    stored = to_json(model, values, creating=item is None)
    if kind == Revision.Kind.RETRACTION:
        stored = {}  # a retraction's reason is its message
    elif item is not None and not stored:
        raise DraftInvalid("The draft changes nothing: name at least one field.")
    instance = candidate(model, item, stored)
    return stored, story_of(instance)


def draft_create(
    *, author, item_type: str, values: dict[str, Any], message: str, kind: str = Revision.Kind.UPDATE,
    minor: bool = False, item: Versioned | None = None, base_version: int | None = None,
) -> Draft:
    """Save a proposed creation (`item` None) or edit of `item` based on `base_version`."""
    model = item_model(item_type)
    creating = item is None
    if not may_write(author, model, creating=creating):
        raise DraftForbidden(f"You may not write {item_type} items.")
    kind = _check_kind(model, kind, creating=creating)
    message = _clean_message(message)
    stored, story = _proposal(model, item, values, kind)
    with transaction.atomic():
        draft = Draft.objects.create(
            item_type=item_type, item_id=None if creating else item.pk,
            base_version=0 if creating else (item.version if base_version is None else base_version),
            story=story, fields=stored, message=message, kind=kind, minor=minor, author=author,
        )
        _record(draft, DraftEvent.Action.SAVED, author)
    return draft


def _locked(draft_id: int) -> Draft:
    try:
        return Draft.objects.select_for_update().get(pk=draft_id)
    except Draft.DoesNotExist:
        raise DraftInvalid(f"No draft {draft_id}.") from None


def _refuse_closed(draft: Draft) -> None:
    if draft.state == Draft.State.PUBLISHED:
        raise DraftConflict(f"Draft {draft.pk} is already published (revision {draft.revision_id}).")
    if draft.state == Draft.State.DISCARDED:
        raise DraftConflict(f"Draft {draft.pk} was discarded.")


def draft_update(
    *, draft: Draft, user, values: dict[str, Any] | None = None, message: str | None = None,
    kind: str | None = None, minor: bool | None = None, rebase: bool = False,
) -> Draft:
    """Change a draft's proposal, or rebase it on the item's current version.

    An approval does not survive a change: an approved draft goes back to
    "submitted" (and its approval's fingerprint no longer matches).
    """
    with transaction.atomic():
        draft = _locked(draft.pk)
        _refuse_closed(draft)
        _require_writer(user, draft)
        model = item_model(draft.item_type)
        item = None if draft.is_new_item else model.objects.get(pk=draft.item_id)
        if kind is not None:
            draft.kind = _check_kind(model, kind, creating=item is None)
        if message is not None:
            draft.message = _clean_message(message)
        if minor is not None:
            draft.minor = minor
        if values is not None:
            draft.fields, draft.story = _proposal(model, item, values, draft.kind)
        if rebase and item is not None:
            draft.base_version = item.version
        if draft.state == Draft.State.APPROVED:
            draft.state = Draft.State.SUBMITTED
        elif draft.state == Draft.State.BLOCKED:
            draft.state = Draft.State.DRAFT
        draft.blocked_reason = ""
        draft.save()
        _record(draft, DraftEvent.Action.SAVED, user, "rebased" if rebase else "")
    return draft


# --- review ------------------------------------------------------------------

def draft_submit(*, draft: Draft, user) -> Draft:
    with transaction.atomic():
        draft = _locked(draft.pk)
        _refuse_closed(draft)
        _require_writer(user, draft)
        if draft.state in (Draft.State.SUBMITTED, Draft.State.APPROVED):
            raise DraftConflict(f"Draft {draft.pk} is already {draft.get_state_display().lower()}.")
        draft.state, draft.blocked_reason = Draft.State.SUBMITTED, ""
        draft.save()
        _record(draft, DraftEvent.Action.SUBMITTED, user)
        draft_stepped(draft, DraftEvent.Action.SUBMITTED)
    return draft


def draft_approve(*, draft: Draft, reviewer, comment: str = "") -> Draft:
    """A reviewer other than the author approves exactly what the draft says now."""
    if not is_reviewer(reviewer):
        raise DraftForbidden("Only reviewers approve drafts.")
    with transaction.atomic():
        draft = _locked(draft.pk)
        _refuse_closed(draft)
        if draft.author_id == reviewer.pk:
            raise DraftForbidden("You cannot approve your own draft: another reviewer must.")
        if draft.state == Draft.State.APPROVED:
            raise DraftConflict(f"Draft {draft.pk} was already approved by {draft.reviewer}.")
        if draft.state != Draft.State.SUBMITTED:
            raise DraftConflict(f"Draft {draft.pk} is {draft.get_state_display().lower()}: "
                                f"only a draft submitted for review can be approved.")
        draft.state, draft.reviewer = Draft.State.APPROVED, reviewer
        draft.approved_fingerprint = fingerprint(draft)
        draft.save()
        _record(draft, DraftEvent.Action.APPROVED, reviewer, comment.strip())
        draft_stepped(draft, DraftEvent.Action.APPROVED)
    return draft


def draft_send_back(*, draft: Draft, reviewer, comment: str) -> Draft:
    """A reviewer returns the draft to its author with a comment; any approval is withdrawn."""
    if not is_reviewer(reviewer):
        raise DraftForbidden("Only reviewers send drafts back.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what needs to change."})
    refuse_control_characters(comment)
    with transaction.atomic():
        draft = _locked(draft.pk)
        _refuse_closed(draft)
        if draft.state not in (Draft.State.SUBMITTED, Draft.State.APPROVED):
            raise DraftConflict(f"Draft {draft.pk} is {draft.get_state_display().lower()}: "
                                f"only a draft under review can be sent back.")
        draft.state, draft.reviewer, draft.approved_fingerprint = Draft.State.DRAFT, None, ""
        draft.save()
        _record(draft, DraftEvent.Action.SENT_BACK, reviewer, comment)
        draft_stepped(draft, DraftEvent.Action.SENT_BACK)
    return draft


def draft_discard(*, draft: Draft, user) -> Draft:
    with transaction.atomic():
        draft = _locked(draft.pk)
        _refuse_closed(draft)
        _require_writer(user, draft)
        draft.state, draft.publish_at = Draft.State.DISCARDED, None
        draft.save()
        _record(draft, DraftEvent.Action.DISCARDED, user)
    return draft


# --- scheduling and publishing --------------------------------------------------

def draft_schedule(*, draft: Draft, user, publish_at: dt.datetime | None) -> Draft:
    """Publish the draft at `publish_at` (as `user`), or no longer (None)."""
    if publish_at is not None:
        if timezone.is_naive(publish_at):
            publish_at = timezone.make_aware(publish_at)
        if publish_at <= timezone.now():
            raise DraftInvalid("Schedule a draft in the future: that moment has passed.")
    with transaction.atomic():
        draft = _locked(draft.pk)
        _refuse_closed(draft)
        _require_writer(user, draft)
        draft.publish_at, draft.scheduled_by = publish_at, user if publish_at else None
        draft.save()
        _record(draft, DraftEvent.Action.SCHEDULED, user,
                publish_at.isoformat() if publish_at else "unscheduled")
    return draft


def _check_publishable(draft: Draft, publisher) -> None:
    _refuse_closed(draft)
    _require_writer(publisher, draft)
    if draft.state == Draft.State.BLOCKED:
        raise DraftConflict(f"Draft {draft.pk} is blocked ({draft.blocked_reason}): "
                            f"rebase or edit it first.")
    if draft.needs_review and not approval_holds(draft):
        if draft.state == Draft.State.APPROVED:
            raise DraftConflict(f"Draft {draft.pk} changed after it was approved: "
                                f"the approval is void, a reviewer must approve it again.")
        raise DraftConflict(f"A {draft.get_kind_display().lower()} is published only after a "
                            f"reviewer other than its author approved it.")


def _publish_locked(draft: Draft, publisher) -> Revision:
    model = item_model(draft.item_type)
    services = services_of(model)
    values = service_values(model, draft.fields)
    reviewer_id = draft.reviewer_id if approval_holds(draft) else None
    written: list[Revision] = []

    def note(revision: Revision) -> None:
        write_link(DraftRevision(revision=revision, drafted_by_id=draft.author_id,
                                 reviewed_by_id=reviewer_id))
        written.append(revision)

    with noting(note):
        if draft.is_new_item:
            item = services.create(author=publisher, message=draft.message, **values)
        else:
            item = model.objects.get(pk=draft.item_id)
            if draft.kind == Revision.Kind.RETRACTION:
                services.retract(author=publisher, **{services.arg: item},
                                 base_version=draft.base_version, reason=draft.message)
            else:
                services.update(author=publisher, **{services.arg: item},
                                base_version=draft.base_version, message=draft.message,
                                kind=draft.kind, minor=draft.minor, changes=values)
    if len(written) != 1:  # inside someone else's revision: it would not be this draft's own
        raise DraftConflict("A draft is published in a revision of its own.")
    draft.state, draft.revision, draft.publish_at = Draft.State.PUBLISHED, written[0], None
    draft.item_id = item.pk  # a new item has its id now
    draft.blocked_reason = ""
    draft.save()
    _record(draft, DraftEvent.Action.PUBLISHED, publisher)
    draft_stepped(draft, DraftEvent.Action.PUBLISHED)
    return written[0]


def draft_publish(*, draft: Draft, publisher) -> tuple[Draft, Revision]:
    """Publish now: exactly one revision, or a refusal and nothing written."""
    with transaction.atomic():
        locked = _locked(draft.pk)
        _check_publishable(locked, publisher)
        revision = _publish_locked(locked, publisher)
    return locked, revision


def drafts_publish_due(*, now: dt.datetime | None = None) -> list[int]:
    """Publish every scheduled draft whose time has come; returns the drafts published.

    Each draft in a transaction of its own, locked with SKIP LOCKED: several
    workers (or a retried job) running at once each take different drafts, and
    the state moves in the same transaction, so a draft is published once. One
    that can no longer be published is marked blocked with the reason.
    """
    now = now or timezone.now()
    published: list[int] = []
    due = Draft.objects.filter(publish_at__lte=now, state__in=[
        Draft.State.DRAFT, Draft.State.SUBMITTED, Draft.State.APPROVED])
    seen: set[int] = set()
    while True:
        with transaction.atomic():
            draft = due.exclude(pk__in=seen).select_for_update(skip_locked=True).order_by(
                "publish_at", "id").first()
            if draft is None:
                return published
            seen.add(draft.pk)
            try:
                with transaction.atomic():
                    _check_publishable(draft, draft.scheduled_by)
                    _publish_locked(draft, draft.scheduled_by)
            except (DraftConflict, DraftForbidden, DraftInvalid, ValidationError,
                    StaleVersionError) as refused:
                _block(draft, refused)
            else:
                published.append(draft.pk)


def _block(draft: Draft, refused: Exception) -> None:
    reason = "; ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
    draft.state, draft.blocked_reason, draft.publish_at = Draft.State.BLOCKED, reason, None
    draft.save()
    _record(draft, DraftEvent.Action.BLOCKED, draft.scheduled_by or draft.author, reason)
