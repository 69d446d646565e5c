"""Delivery by channel: each digest goes to the module of its subscription's channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from . import email_delivery, webhooks
from .models import Digest, Subscription


def digests_deliver(digest_ids: Iterable[int], *, now: dt.datetime | None = None) -> list[int]:
    """Send each digest through its channel; returns the email ids refused for now (their retries
    are scheduled). A webhook digest gets its first attempt here; later ones follow its own schedule."""
    digests = list(Digest.objects.filter(pk__in=list(digest_ids)).select_related("subscription")
                   .order_by("id"))
    retrying = email_delivery.deliver(
        [d for d in digests if d.subscription.channel == Subscription.Channel.EMAIL], now=now)
    for digest in digests:
        if (digest.subscription.channel == Subscription.Channel.WEBHOOK
                and digest.state == Digest.State.PENDING and not digest.attempts.exists()):
            webhooks.deliver_digest(digest)
    return retrying
