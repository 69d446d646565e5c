"""Reads of the digests app."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from record.selectors import latest_revision_id

from .builder import WindowCache
from .models import DeliveryAttempt, Subscription


def digest_preview(subscription: Subscription) -> dict:
    """The content the subscription's next digest would have if it were built now (nothing saved)."""
    return WindowCache().content_for(subscription, after=subscription.cursor, upto=latest_revision_id())


def waiting_to_retry(now: dt.datetime) -> Exists:
    """For a Digest filter: its last failed attempt scheduled a retry that is not due yet.

    Retries are only ever scheduled on the latest attempt, at times that grow,
    so "any attempt with a later retry time" is "the latest one, not due".
    """
    return Exists(DeliveryAttempt.objects.filter(digest=OuterRef("pk"), next_retry_at__gt=now))
