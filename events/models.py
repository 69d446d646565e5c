"""Stories, their developments, the actors and sources they name, and each revision's story."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from record.models import RevisionLink, Versioned, versioned_history


def country_code_validator(value: str) -> None:
    """An ISO 3166-1 alpha-2 code that pycountry knows ('AZ', not 'Azerbaijan' or 'XX')."""
    import pycountry  # loaded on first use: its database is large

    if value and (len(value) != 2 or pycountry.countries.get(alpha_2=value) is None):
        raise ValidationError(f"“{value}” is not an ISO 3166 country code (e.g. AZ, AM).")


def within_the_calendar(moment: dt.datetime, precision: str) -> bool:
    """Whether the span `moment` stands for at `precision` (its UTC day, week or month) ends by
    31 Dec 9999, so every surface can show it: a week that ends in the year 10000 cannot be."""
    try:
        day = moment.astimezone(dt.UTC).date() if moment.tzinfo else moment.date()
    except OverflowError:
        return False
    if precision == "week":  # Monday to Sunday, as ACLED codes a week (reader.dates)
        return (dt.date.max - day).days >= 6 - day.weekday()
    return True


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
        WEEK = "week", "Week"  # ACLED time_precision 2: some day of that week
        MONTH = "month", "Month"  # ACLED time_precision 3: some day of that month

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
    key_event = models.BooleanField(
        "key development", default=False,
        help_text="One of the few developments a reader must know: shown in 'Key developments'.",
    )
    actors = models.ManyToManyField(Actor, blank=True, related_name="developments")
    sources = models.ManyToManyField(Source, blank=True, related_name="developments")

    # --- Place and provenance (issue 19): where exactly, and whose record it came from.
    class GeoPrecision(models.TextChoices):
        EXACT = "exact", "Exact place"  # ACLED geo_precision 1
        NEAR = "near", "Near the place"  # 2
        REGION = "region", "Somewhere in the region"  # 3

    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    geo_precision = models.CharField(max_length=8, choices=GeoPrecision.choices, blank=True)
    admin1 = models.CharField("administrative area", max_length=120, blank=True)
    country = models.CharField(
        max_length=2, blank=True, validators=[country_code_validator],
        help_text="ISO 3166-1 alpha-2 code, e.g. AZ.")
    external_id = models.CharField(
        max_length=64, blank=True, db_index=True,
        help_text="The id in the record it was imported from, e.g. ACLED's event_id_cnty.")
    external_data = models.JSONField(
        null=True, blank=True, help_text="The imported row's other columns, kept as given.")
    # --- end place and provenance

    history = versioned_history(m2m_fields=["actors", "sources"])
    belongs_to = "story"

    FIXED_FIELDS = ("story",)  # a development never moves to another story

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["story", "occurred_at"])]
        constraints = [models.UniqueConstraint(  # an imported event is one development per story
            fields=["story", "external_id"], condition=~models.Q(external_id=""),
            name="development_external_id_per_story")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:development", args=[self.story.slug, self.pk])

    def revision_story(self) -> Story:
        return self.story

    def clean(self) -> None:
        for name in ("occurred_at", "ended_at"):
            moment = getattr(self, name)
            if moment and not within_the_calendar(moment, self.occurred_precision):
                raise ValidationError({name: f"At {self.occurred_precision} precision this date runs past "
                                             "31 Dec 9999, the end of the calendar the tracker shows."})
        if self.ended_at and self.occurred_at and self.ended_at < self.occurred_at:
            raise ValidationError({"ended_at": "A development cannot end before it began."})
        if self.status == self.Status.RETRACTED and not self.retraction_reason.strip():
            raise ValidationError({"retraction_reason": "A retraction needs a reason."})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": "Give both latitude and longitude, or neither."})
        if self.geo_precision and self.latitude is None:
            raise ValidationError({"geo_precision": "A geo precision needs coordinates."})

    @property
    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED


class Briefing(Versioned):
    """A story's pinned "What we know": a short summary, versioned like everything else."""

    story = models.OneToOneField(Story, on_delete=models.PROTECT, related_name="briefing")
    text = models.TextField("what we know", help_text="A few sentences: what is known now.")

    history = versioned_history()
    belongs_to = "story"

    FIXED_FIELDS = ("story",)  # a briefing never moves to another story

    class Meta:
        verbose_name = "what we know"
        verbose_name_plural = "what we know"
        ordering = ["story"]

    def __str__(self) -> str:
        return f"What we know: {self.story}"

    def get_absolute_url(self) -> str:
        return self.story.get_absolute_url()

    def revision_story(self) -> Story:
        return self.story


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
