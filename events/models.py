"""Stories, their developments, the actors and sources they name, and each revision's story."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from record.models import RevisionLink, Versioned, versioned_history


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
        return reverse("pages:story", args=[self.slug])

    def revision_story(self) -> "Story":
        return self


class Actor(Versioned):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        GOVERNMENT = "government", "Government"
        MINISTRY = "ministry", "Ministry"
        MILITARY = "military", "Military"
        ARMED_GROUP = "armed_group", "Armed group"
        ORGANISATION = "organisation", "Organisation"
        OUTLET = "outlet", "Outlet"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    role = models.CharField(max_length=200, blank=True, help_text="Title or role, e.g. 'President'.")
    affiliation = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="affiliates",
        help_text="Who the actor speaks for, e.g. the leader an aide works for.",
    )

    history = versioned_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name

    def clean(self) -> None:
        if self.pk and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": "An actor cannot be affiliated with itself."})


class Source(Versioned):
    class ArchiveStatus(models.TextChoices):
        NONE = "", "Not archived"
        ARCHIVED = "archived", "Archived"
        CHANGED = "changed", "Changed since cited"
        GONE = "gone", "Gone"

    outlet = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # The capture at citation (archive/): its time and payload hash are part of
    # the source's versions, so the public log covers the evidence; written only
    # by revisions of kind "capture". A new URL clears them (source_update).
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    archive_status = models.CharField(max_length=8, choices=ArchiveStatus.choices, blank=True)

    history = versioned_history()

    class Meta:
        ordering = ["outlet", "title"]

    # What only the archive writes: editors' forms and API writes never take them.
    ARCHIVE_FIELDS = ("archived_at", "archive_sha256", "archive_status")

    def __str__(self) -> str:
        return f"{self.outlet}: {self.title}"


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
    actors = models.ManyToManyField(Actor, blank=True, related_name="developments")
    sources = models.ManyToManyField(Source, blank=True, related_name="developments")

    history = versioned_history(m2m_fields=["actors", "sources"])

    FIXED_FIELDS = ("story",)  # a development never moves to another story

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["story", "occurred_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:development", args=[self.story.slug, self.pk])

    def revision_story(self) -> Story:
        return self.story

    def clean(self) -> None:
        if self.ended_at and self.occurred_at and self.ended_at < self.occurred_at:
            raise ValidationError({"ended_at": "A development cannot end before it began."})
        if self.status == self.Status.RETRACTED and not self.retraction_reason.strip():
            raise ValidationError({"retraction_reason": "A retraction needs a reason."})

    @property
    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED


class StoryRevision(RevisionLink):
    """The story a revision belongs to: its changelog, feeds and digests are read through it."""

    revision = models.OneToOneField(
        "record.Revision", on_delete=models.PROTECT, primary_key=True, related_name="story_link"
    )
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="revision_links")

    class Meta:
        # A story's latest revisions (feeds' ETag, changelog, moments) without
        # walking the whole log backwards.
        indexes = [models.Index(fields=["story", "-revision"], name="story_revision_latest")]

    def __str__(self) -> str:
        return f"r{self.revision_id} of {self.story_id}"

    @classmethod
    def log_queryset(cls):
        return cls.objects.select_related("story")

    @classmethod
    def log_values(cls, link) -> dict:
        # The slug for a human reading the log; the id is what replay uses.
        return {"story": link.story.slug if link else None, "story_id": link.story_id if link else None}

    @classmethod
    def replay(cls, revision, line: dict) -> None:
        if line.get("story_id") is not None:
            cls.objects.create(revision=revision, story_id=line["story_id"])
