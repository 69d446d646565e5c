"""Drafts (proposed changes outside the revision log), their state changes, a revision's drafter."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from record.accounts import account_named
from record.models import Revision, RevisionLink


class Draft(models.Model):
    """A proposed change to one versioned item: not a revision, no version, seen by no reader.

    `item_type` names a model whose domain registered its services (record.registry),
    by its label ("events.development"); `item_id` is None for a new item. `fields`
    holds the proposed values as JSON (references as ids, many-to-many sets as id
    lists, times in ISO 8601). Publishing writes exactly one revision through that
    item's services, based on `base_version`.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"
        BLOCKED = "blocked", "Blocked"

    # States from which a draft may still become public.
    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.APPROVED, State.BLOCKED)
    # Kinds a reader is told about as fixing the record: a second editor approves them first.
    REVIEWED_KINDS = (Revision.Kind.CORRECTION, Revision.Kind.RETRACTION)
    # An editor's kinds only: a capture is the archive's own note, never drafted.
    KINDS = [(kind.value, kind.label) for kind in Revision.Kind if kind != Revision.Kind.CAPTURE]

    item_type = models.CharField(max_length=64, help_text="Model label, e.g. events.development.")
    item_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="Empty: a new item.")
    base_version = models.PositiveIntegerField(
        default=0, help_text="The version the draft was written against (0: a new item).")
    story = models.ForeignKey("events.Story", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="drafts")
    fields = models.JSONField(default=dict, blank=True)
    message = models.TextField()
    kind = models.CharField(max_length=16, choices=KINDS)
    minor = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT,
                             db_index=True)
    blocked_reason = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="drafts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="reviewed_drafts")
    # What was approved: an approval is void once the draft no longer matches it.
    approved_fingerprint = models.CharField(max_length=64, blank=True)
    publish_at = models.DateTimeField(null=True, blank=True, db_index=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="scheduled_drafts")
    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="draft")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [("review_draft", "Can approve or send back drafts (reviewers)")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(message=""), name="draft_message_required"),
        ]

    def __str__(self) -> str:
        what = self.fields.get("title") or self.fields.get("paraphrase") or self.message
        return f"Draft {self.pk}: {str(what)[:60]}"

    @property
    def is_new_item(self) -> bool:
        return self.item_id is None

    @property
    def needs_review(self) -> bool:
        return self.kind in self.REVIEWED_KINDS


class DraftEvent(models.Model):
    """One state change of a draft: who, when, and what they said."""

    class Action(models.TextChoices):
        SAVED = "saved", "Saved"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"
        BLOCKED = "blocked", "Blocked"

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="draft_events")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class DraftRevision(RevisionLink):
    """Who drafted and who reviewed the change a revision published (its author is the publisher).

    Written in the revision's own transaction, append-only, in the log line
    (`drafted_by`, `reviewed_by`) of the revisions that have one, and replayed with it.
    """

    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, primary_key=True,
                                    related_name="draft_link")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"r{self.revision_id} drafted by {self.drafted_by}"

    @classmethod
    def log_queryset(cls):
        return cls.objects.select_related("drafted_by", "reviewed_by")

    @classmethod
    def log_values(cls, link) -> dict:
        # Revisions written straight away have no line of their own here: their
        # leaves stay what they were before drafts existed.
        if link is None:
            return {}
        return {"drafted_by": link.drafted_by.get_username(),
                "reviewed_by": link.reviewed_by.get_username() if link.reviewed_by else None}

    @classmethod
    def replay(cls, revision, line: dict) -> None:
        if line.get("drafted_by") is None:
            return
        reviewed = line.get("reviewed_by")
        cls.objects.create(revision=revision, drafted_by=account_named(line["drafted_by"]),
                           reviewed_by=account_named(reviewed) if reviewed else None)
