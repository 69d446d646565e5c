"""The event store: stories, their developments, and the revisions that version both."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class Revision(models.Model):
    """One editor action: every version row written by it points here.

    Ids are the change-feed cursor; the service layer serialises revision
    creation so that id order is commit order.
    """

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        RETRACTION = "retraction", "Retraction"
        RESTORE = "restore", "Restore"

    # What an editor may call an edit; retraction and restore have their own services.
    EDIT_KINDS = (Kind.UPDATE, Kind.CORRECTION, Kind.CLARIFICATION)

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    message = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    minor = models.BooleanField(
        default=False, help_text="Cosmetic edit (typo, formatting): left out of 'what changed'."
    )
    story = models.ForeignKey(
        "events.Story", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )

    class Meta:
        ordering = ["id"]
        # A story's latest revisions (feeds' ETag, changelog, moments) without
        # walking the whole log backwards.
        indexes = [models.Index(fields=["story", "-id"], name="revision_story_latest")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(message=""), name="revision_message_required"),
        ]

    def __str__(self) -> str:
        return f"r{self.id} {self.get_kind_display()}: {self.message[:60]}"


class RevisionedVersion(models.Model):
    """Base of every history row: the revision that wrote it."""

    revision = models.ForeignKey(
        "events.Revision", on_delete=models.PROTECT, related_name="+", db_index=True
    )

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A current-state row whose every save is a version in the revision log."""

    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


def versioned_history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(
        bases=[RevisionedVersion], m2m_bases=[models.Model], excluded_fields=[], **kwargs
    )


class Story(Versioned):
    class Status(models.TextChoices):
        DEVELOPING = "developing", "Developing"
        CONCLUDED = "concluded", "Concluded"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DEVELOPING)

    history = versioned_history()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/stories/{self.slug}/"


class Development(Versioned):
    """A news event within a story: what happened in the world and when."""

    class Kind(models.TextChoices):
        MILITARY_ACTION = "military_action", "Military action"
        CEASEFIRE = "ceasefire", "Ceasefire"
        NEGOTIATION = "negotiation", "Negotiation"
        STATEMENT = "statement", "Statement"
        CALL = "call", "Call between leaders"
        CASUALTY_REPORT = "casualty_report", "Casualty report"
        ACCUSATION = "accusation", "Accusation"
        HUMANITARIAN = "humanitarian", "Humanitarian"
        DISPLACEMENT = "displacement", "Displacement"
        OTHER = "other", "Other"

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        HOUR = "hour", "Hour"
        MINUTE = "minute", "Minute"

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        CONFIRMED = "confirmed", "Confirmed"
        RETRACTED = "retracted", "Retracted"

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="developments")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    occurred_at = models.DateTimeField(help_text="When it happened in the world (UTC).")
    occurred_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=Precision.DAY
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REPORTED)
    retraction_reason = models.TextField(blank=True)
    actors = models.ManyToManyField("claims.Actor", blank=True, related_name="developments")
    sources = models.ManyToManyField("claims.Source", blank=True, related_name="developments")

    history = versioned_history(m2m_fields=["actors", "sources"])

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["story", "occurred_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/stories/{self.story.slug}/developments/{self.pk}/"

    def clean(self) -> None:
        if self.ended_at and self.occurred_at and self.ended_at < self.occurred_at:
            raise ValidationError({"ended_at": "A development cannot end before it began."})
        if self.status == self.Status.RETRACTED and not self.retraction_reason.strip():
            raise ValidationError({"retraction_reason": "A retraction needs a reason."})

    @property
    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED
