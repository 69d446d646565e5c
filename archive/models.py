"""Captures: one append-only row per fetch of a cited source, with its WARC file when one was kept."""

from __future__ import annotations

from django.core.files.storage import storages
from django.db import models
from django.urls import reverse

from events.models import Source


def archive_storage():
    """Django's storage named "archive" (a directory under var/, or S3: settings.STORAGES)."""
    return storages["archive"]


class Capture(models.Model):
    """What one fetch of a source's URL brought back, and what it meant.

    A capture at citation (`captured`) and a capture that found the page
    changed (`changed`) keep a WARC file (request and response records);
    `unchanged`, `gone` and `failed` checks keep only their outcome. Rows are
    never updated or deleted (database triggers, 0001_initial).
    """

    class Reason(models.TextChoices):
        CITATION = "citation", "Cited"
        CHECK = "check", "Watched"

    class Outcome(models.TextChoices):
        CAPTURED = "captured", "Captured"
        UNCHANGED = "unchanged", "Unchanged"
        CHANGED = "changed", "Changed"
        GONE = "gone", "Gone"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="captures")
    reason = models.CharField(max_length=8, choices=Reason.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    requested_url = models.URLField(max_length=2000)
    final_url = models.URLField(max_length=2000, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the response payload.")
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes of payload kept.")
    truncated = models.BooleanField(default=False, help_text="The body was cut at OUTBOUND_MAX_BYTES.")
    captured_at = models.DateTimeField(db_index=True)
    warc = models.FileField(storage=archive_storage, max_length=300, blank=True)
    text = models.TextField(blank=True, help_text="The page's main text as a check compared it "
                            "(a capture at citation leaves it to the first check).")
    text_diff = models.JSONField(default=list, blank=True,
                                 help_text="For a change: word-level diff from the capture at citation.")
    missing = models.BooleanField(default=False, help_text="404/410, or the host did not resolve.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-captured_at", "-id"]
        indexes = [models.Index(fields=["source", "-captured_at"], name="capture_source_latest")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.requested_url} at {self.captured_at:%Y-%m-%d %H:%M}"

    @property
    def kept(self) -> bool:
        return bool(self.warc)

    def archive_url(self) -> str:
        return reverse("pages:source_archive", args=[self.source_id]) + f"?capture={self.pk}"

    def warc_url(self) -> str:
        return reverse("pages:source_warc", args=[self.source_id]) + f"?capture={self.pk}"
