"""Writes of the digests app: managing subscriptions, building each window once, finding lost work.

Pending work is derived from the database, never from queue messages alone:
a subscription's `cursor` is the last revision covered, so the next window is
`(cursor, upto]`; a digest row is unique per (subscription, upto) and the
cursor moves in the same transaction that creates it. A lost or duplicated
job therefore delays a digest at worst, and never skips or repeats a window.
Delivery (email_delivery, webhooks) makes it at most once per digest, but for
one documented gap in email: a crash between the SMTP server's acceptance and
the commit that records it sends a second copy with the same Message-ID. A
webhook resent after a crash carries the same `webhook-id`, so receivers see
it once (README, "Guarantees").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from record.selectors import latest_revision_id, revision_at
from tracker import outbound

from . import email, queue, selectors, signing, tokens
from .builder import WindowCache, is_empty
from .models import DeliveryAttempt, Digest, Subscription

log = logging.getLogger(__name__)

# How long a sender holds a digest, and when the sweep decides a delivery was lost.
# Settings (in seconds) override them, so fault tests can let a lease run out in a second.
LEASE = dt.timedelta(minutes=10)
STALE_PENDING = dt.timedelta(minutes=2)
LOST_WEBHOOK_DISPATCH = dt.timedelta(minutes=5)


def _period(name: str, default: dt.timedelta) -> dt.timedelta:
    seconds = getattr(settings, name, None)
    return default if seconds is None else dt.timedelta(seconds=seconds)


def lease_period() -> dt.timedelta:
    """How long a sender holds a digest (either channel); it must outlast one send."""
    return _period("DIGESTS_LEASE_SECONDS", LEASE)


# --- subscribing ------------------------------------------------------------

def subscription_create(
    *, email_address: str, story_ids: Iterable[int] = (), frequency: str,
    include_minor: bool = False, kinds: Iterable[str] = (),
) -> Subscription:
    """Record an unconfirmed email subscription and send (on commit) only its confirmation.

    An address that already has a pending or confirmed subscription to the same
    stories gets no second one: the confirmation is sent again instead (for a
    confirmed one the sender finds nothing to confirm). The work, and so the
    caller's answer, is the same either way: no one learns whether an address
    is subscribed.
    """
    address, stories = email_address.strip(), sorted(set(story_ids))
    with transaction.atomic():
        same = [
            held for held in Subscription.objects.filter(
                channel=Subscription.Channel.EMAIL, email__iexact=address, active=True,
                deleted_at__isnull=True,
            ).prefetch_related("stories").order_by("id")
            if sorted(story.pk for story in held.stories.all()) == stories
        ]
        if same:
            subscription = same[0]
        else:
            subscription = Subscription.objects.create(
                channel=Subscription.Channel.EMAIL, email=address, frequency=frequency,
                include_minor=include_minor, kinds=sorted(kinds),
            )
            subscription.stories.set(stories)
        queue.enqueue_confirmation(
            subscription.pk, otherwise=lambda: confirmation_send(subscription.pk))
    return subscription


def confirmation_send(subscription_id: int) -> bool:
    """Send the confirmation mail, the only mail an unconfirmed address ever gets."""
    subscription = Subscription.objects.filter(
        pk=subscription_id, confirmed_at__isnull=True, deleted_at__isnull=True).first()
    if subscription is None:
        return False
    email.confirmation_message(subscription).send()
    return True


def subscription_confirm(*, token: str) -> Subscription:
    """Confirm by the signed link; digests cover what changes from now on, not the past."""
    subscription = tokens.subscription_for(token, tokens.CONFIRM)
    if subscription.deleted_at is not None:
        raise tokens.InvalidToken("This subscription was deleted.")
    if subscription.confirmed_at is None:
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), cursor=latest_revision_id(), active=True,
        )
        subscription.refresh_from_db()
    return subscription


def subscription_cancel(*, token: str) -> Subscription:
    subscription = tokens.subscription_for(token, tokens.UNSUBSCRIBE)
    Subscription.objects.filter(pk=subscription.pk, active=True).update(
        active=False, disabled_reason="Unsubscribed by the subscriber.",
    )
    subscription.refresh_from_db()
    return subscription


# --- building ---------------------------------------------------------------

def _receiving() -> Q:
    return Q(active=True, confirmed_at__isnull=False, deleted_at__isnull=True)


def subscriptions_due(frequency: str, now: dt.datetime | None = None) -> list[Subscription]:
    """Subscriptions of this frequency with revisions past their cursor, as of `now`."""
    upto = revision_at(now or timezone.now()) or 0
    return list(
        Subscription.objects.filter(_receiving(), frequency=frequency, cursor__lt=upto)
        .prefetch_related("stories").order_by("cursor", "id")
    )


def digest_create_for(
    subscription: Subscription, upto: int, *, cache: WindowCache | None = None,
) -> Digest | None:
    """The digest of window `(cursor, upto]`, created at most once; None when empty.

    Two workers may race here: the conditional cursor update lets exactly one
    claim the window, and the other returns the digest the winner wrote.
    """
    existing = Digest.objects.filter(subscription=subscription, upto=upto).first()
    if existing is not None:
        return existing
    current = Subscription.objects.filter(_receiving(), pk=subscription.pk).first()
    if current is None or current.cursor >= upto:
        return None
    after = current.cursor
    content = (cache or WindowCache()).content_for(subscription, after=after, upto=upto)
    with transaction.atomic():
        claimed = Subscription.objects.filter(pk=subscription.pk, cursor=after).update(cursor=upto)
        if not claimed:
            return Digest.objects.filter(subscription=subscription, upto=upto).first()
        subscription.cursor = upto
        if is_empty(content):
            return None  # nothing to say: the cursor still moves, so the window is not rebuilt
        return Digest.objects.create(subscription=subscription, after=after, upto=upto,
                                     content=content)


def digests_run(frequency: str, *, now: dt.datetime | None = None,
                upto: int | None = None) -> list[Digest]:
    """Create the due digests of one frequency, each window built once per filter set."""
    now = now or timezone.now()
    upto = upto if upto is not None else (revision_at(now) or 0)
    cache = WindowCache()
    digests = []
    for subscription in subscriptions_due(frequency, now):
        digest = digest_create_for(subscription, upto, cache=cache)
        if digest is not None and digest.state == Digest.State.PENDING:
            digests.append(digest)
    return digests


def digests_run_immediate() -> list[Digest]:
    """After a revision commits: the immediate subscriptions' digests, up to the latest revision."""
    return digests_run(Subscription.Frequency.IMMEDIATE, upto=latest_revision_id())


# --- finding lost work ------------------------------------------------------

def digests_stale(now: dt.datetime | None = None) -> list[int]:
    """Digests whose delivery was lost or whose email retry is due: send them (again).

    Never a finished digest (sent, or failed for good), and never an email
    digest still waiting out its backoff: a digest's retries are bounded by
    its own attempts, not restarted by each sweep.
    """
    now = now or timezone.now()
    attempted = Exists(DeliveryAttempt.objects.filter(digest=OuterRef("pk")))
    email_stale = Digest.objects.filter(
        Q(state=Digest.State.PENDING, lease_until=None)
        & (Q(~attempted, created_at__lt=now - _period("DIGESTS_STALE_PENDING_SECONDS", STALE_PENDING))
           | Q(attempted, ~selectors.waiting_to_retry(now)))
        | Q(state=Digest.State.SENDING, lease_until__lt=now),
        subscription__channel=Subscription.Channel.EMAIL,
    )
    # Webhook digests with attempts follow the webhook retry schedule instead.
    webhook_lost = Digest.objects.filter(
        Q(lease_until=None) | Q(lease_until__lt=now), ~attempted,
        state=Digest.State.PENDING,
        created_at__lt=now - _period("WEBHOOKS_LOST_DISPATCH_SECONDS", LOST_WEBHOOK_DISPATCH),
        subscription__channel=Subscription.Channel.WEBHOOK,
    )
    return sorted(set(email_stale.values_list("id", flat=True))
                  | set(webhook_lost.values_list("id", flat=True)))


# --- webhook subscriptions, managed by their owners through the API -----------

def webhook_subscription_create(
    *, owner, url: str, stories: list, kinds: list[str], frequency: str, include_minor: bool = False,
) -> tuple[Subscription, str]:
    """A new webhook subscription and its signing secret (shown to the owner once).

    It starts at the latest revision: a new integrator is sent what changes
    from now on, not the whole archive. No opt-in round trip: the owner is an
    authenticated API user naming their own endpoint.
    """
    outbound.check_url(url)
    secret = signing.new_secret()
    with transaction.atomic():
        subscription = Subscription.objects.create(
            owner=owner, channel=Subscription.Channel.WEBHOOK, url=url, secret=secret,
            kinds=sorted(set(kinds)), frequency=frequency, include_minor=include_minor,
            confirmed_at=timezone.now(), cursor=latest_revision_id(),
        )
        subscription.stories.set(stories)
    return subscription, secret


def subscription_rotate_secret(*, subscription: Subscription) -> str:
    """Replace the signing secret; deliveries from now on are signed with the new one only."""
    require_webhook(subscription)
    secret = signing.new_secret()
    Subscription.objects.filter(pk=subscription.pk).update(secret=secret)
    subscription.secret = secret
    return secret


def subscription_pause(*, subscription: Subscription) -> Subscription:
    require_webhook(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(active=False)
    subscription.refresh_from_db()
    return subscription


def subscription_resume(*, subscription: Subscription) -> Subscription:
    """Deliver again, also after an automatic disable: the failure count starts over."""
    require_webhook(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(
        active=True, disabled_reason="", consecutive_failures=0
    )
    subscription.refresh_from_db()
    return subscription


def subscription_delete(*, subscription: Subscription) -> None:
    """Stop deliveries for good; the subscription, its digests and attempts stay on record."""
    require_webhook(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(
        active=False, deleted_at=timezone.now()
    )


def subscription_note_delivery(subscription: Subscription) -> None:
    """A delivery went through: the count of failures in a row starts over."""
    if subscription.consecutive_failures:
        Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        subscription.consecutive_failures = 0


def subscription_note_failure(subscription: Subscription) -> int:
    """Count one more failure in a row (a webhook attempt, an email digest); returns the count."""
    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    subscription.consecutive_failures = (
        Subscription.objects.values_list("consecutive_failures", flat=True).get(pk=subscription.pk))
    return subscription.consecutive_failures


def subscription_disable(subscription: Subscription, *, reason: str) -> None:
    """Stop deliveries to a failing receiver or address; the reason is shown to its owner and in the desk.

    Both channels call it: webhooks after repeated failed attempts or a 410,
    email after repeated digests refused for good.
    """
    Subscription.objects.filter(pk=subscription.pk, active=True).update(
        active=False, disabled_reason=reason[:2000]
    )
    log.warning("subscription %s disabled: %s", subscription.pk, reason)


class NotAWebhook(Exception):
    """An operation that only makes sense for a webhook subscription."""


def require_webhook(subscription: Subscription) -> None:
    if subscription.channel != Subscription.Channel.WEBHOOK:
        raise NotAWebhook("Email subscriptions are managed through the links in their emails.")
