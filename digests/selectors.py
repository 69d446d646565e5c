"""Reads of the digests app."""

from __future__ import annotations

from record.selectors import latest_revision_id

from .builder import WindowCache
from .models import Subscription


def digest_preview(subscription: Subscription) -> dict:
    """The content the subscription's next digest would have if it were built now (nothing saved)."""
    return WindowCache().content_for(subscription, after=subscription.cursor, upto=latest_revision_id())
