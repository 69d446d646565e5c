"""Subscriptions, the digests built for them, and every attempt to deliver one."""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models

from events.models import Development, Story


class Subscription(models.Model):
    """Who follows what, how often, and through which channel.

    `cursor` is the last revision id already covered by a digest: the next
    window is `(cursor, upto]`. Pending work is derived from it, so a lost
    queue message delays a digest but never loses one.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Immediately"
        HOURLY = "hourly", "Hourly"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="subscriptions",
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    email = models.EmailField(blank=True)
    url = models.URLField(max_length=2000, blank=True)
    secret = models.CharField(max_length=100, blank=True)
    stories = models.ManyToManyField(Story, blank=True, related_name="subscriptions",
                                     help_text="None chosen: every story.")
    kinds = models.JSONField(default=list, blank=True,
                             help_text="Development kinds to include; empty: all kinds.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices,
                                 default=Frequency.DAILY)
    include_minor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    disabled_reason = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    cursor = models.BigIntegerField(default=0)
    # Deleted through the API: kept (its digests and deliveries point here), never sent to.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["frequency", "active"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.email or self.url} ({self.frequency})"

    def filter_key(self, story_ids: list[int] | None = None) -> str:
        """Subscriptions with equal keys share one built window."""
        ids = sorted(story_ids if story_ids is not None else self.stories.values_list("id", flat=True))
        payload = {"stories": ids, "kinds": sorted(self.kinds), "minor": self.include_minor}
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:32]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Digest(models.Model):
    """The "what changed" content of one window `(after, upto]` for one subscription."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="digests")
    after = models.BigIntegerField()
    upto = models.BigIntegerField()
    content = models.JSONField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # The webhook-id: the same for every attempt at this digest.
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why a digest is "failed" for good (a permanent refusal, attempts used up, unsubscribed):
    # the sweep never offers a failed digest again.
    failed_reason = models.TextField(blank=True)
    # A sender leases the digest until this time (both channels); past it, a sweep may
    # send it again (the sender died mid-send), so a lost worker delays but never loses.
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "upto"], name="one_digest_per_window"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Digest ({self.after}, {self.upto}] for {self.subscription}"


class DeliveryAttempt(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.PROTECT, related_name="attempts")
    attempted_at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField(default=False)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Attempt {self.id} for digest {self.digest_id}"


DEVELOPMENT_KINDS = Development.Kind.values
