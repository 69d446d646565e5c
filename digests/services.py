"""Writes of the digests app: subscribing, building each window once, delivering exactly once.

Pending work is derived from the database, never from queue messages alone:
a subscription's `cursor` is the last revision covered, so the next window is
`(cursor, upto]`; a digest row is unique per (subscription, upto) and the
cursor moves in the same transaction that creates it. A lost or duplicated
job therefore delays a digest at worst, and never skips or repeats a window.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from record.selectors import latest_revision_id, revision_at

from . import email, tokens
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


# --- subscribing ------------------------------------------------------------

def subscribe(
    *, email_address: str, story_ids: Iterable[int] = (), frequency: str,
    include_minor: bool = False, kinds: Iterable[str] = (),
) -> Subscription:
    """Record an unconfirmed email subscription and send (on commit) only its confirmation."""
    with transaction.atomic():
        subscription = Subscription.objects.create(
            channel=Subscription.Channel.EMAIL, email=email_address.strip(), frequency=frequency,
            include_minor=include_minor, kinds=sorted(kinds),
        )
        subscription.stories.set(list(story_ids))
        transaction.on_commit(_enqueue_confirmation(subscription.pk), robust=True)
    return subscription


def _enqueue_confirmation(subscription_id: int):
    from kombu.exceptions import OperationalError

    from .tasks import send_confirmation

    def enqueue() -> None:
        try:
            send_confirmation.delay(subscription_id)
        except OperationalError:
            # The broker is down. Unlike a digest, no sweep would send this mail
            # later, and the reader is waiting for it now: send it from here.
            confirmation_send(subscription_id)

    return enqueue


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


def unsubscribe(*, token: str) -> Subscription:
    subscription = tokens.subscription_for(token, tokens.UNSUBSCRIBE)
    Subscription.objects.filter(pk=subscription.pk, active=True).update(
        active=False, disabled_reason="Unsubscribed by the subscriber.",
    )
    subscription.refresh_from_db()
    return subscription


# --- building ---------------------------------------------------------------

def _receiving() -> Q:
    return Q(active=True, confirmed_at__isnull=False, deleted_at__isnull=True)


def digests_due(frequency: str, now: dt.datetime | None = None) -> list[Subscription]:
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
    for subscription in digests_due(frequency, now):
        digest = digest_create_for(subscription, upto, cache=cache)
        if digest is not None and digest.state == Digest.State.PENDING:
            digests.append(digest)
    return digests


def digests_immediate() -> list[Digest]:
    """After a revision commits: the immediate subscriptions' digests, up to the latest revision."""
    return digests_run(Subscription.Frequency.IMMEDIATE, upto=latest_revision_id())


def digests_stale(now: dt.datetime | None = None) -> list[int]:
    """Digests whose delivery was lost (enqueue lost, sender died mid-send): send them again."""
    now = now or timezone.now()
    email_stale = Digest.objects.filter(
        Q(state=Digest.State.PENDING,
          created_at__lt=now - _period("DIGESTS_STALE_PENDING_SECONDS", STALE_PENDING))
        | Q(state=Digest.State.SENDING, lease_until__lt=now),
        subscription__channel=Subscription.Channel.EMAIL,
    )
    # Webhook digests with attempts follow the webhook retry schedule instead.
    webhook_lost = Digest.objects.filter(
        state=Digest.State.PENDING,
        created_at__lt=now - _period("WEBHOOKS_LOST_DISPATCH_SECONDS", LOST_WEBHOOK_DISPATCH),
        subscription__channel=Subscription.Channel.WEBHOOK, attempts__isnull=True,
    )
    return sorted(set(email_stale.values_list("id", flat=True))
                  | set(webhook_lost.values_list("id", flat=True)))


# --- delivering -------------------------------------------------------------

def digests_deliver(digest_ids: Iterable[int]) -> list[int]:
    """Send each digest through its channel; returns the ids that failed and should be retried."""
    digests = list(Digest.objects.filter(pk__in=list(digest_ids)).select_related("subscription")
                   .order_by("id"))
    failed = _deliver_emails([d for d in digests if d.subscription.channel == Subscription.Channel.EMAIL])
    hooks = [d for d in digests if d.subscription.channel == Subscription.Channel.WEBHOOK
             and d.state == Digest.State.PENDING and not d.attempts.exists()]
    if hooks:
        from . import webhooks  # the webhook channel; imported late, it is optional here

        for digest in hooks:
            webhooks.deliver_digest(digest)
    return failed


def _claim(digests: list[Digest], now: dt.datetime) -> set[int]:
    """Lease the digests that are still to send (pending, or abandoned by a dead worker);
    returns their ids. One statement for a whole batch: a digest leased but not yet sent
    when a worker dies is only delayed until its lease runs out, never sent twice."""
    claimable = Q(state=Digest.State.PENDING) | Q(state=Digest.State.SENDING, lease_until__lt=now)
    with transaction.atomic():
        ids = list(
            Digest.objects.select_for_update(skip_locked=True)
            .filter(claimable, pk__in=[digest.pk for digest in digests])
            .values_list("pk", flat=True)
        )
        Digest.objects.filter(pk__in=ids).update(
            state=Digest.State.SENDING, lease_until=now + _period("DIGESTS_LEASE_SECONDS", LEASE))
    return set(ids)


def _deliver_emails(digests: list[Digest]) -> list[int]:
    """Send over one SMTP connection; a digest is marked sent right after its own send."""
    failed: list[int] = []
    if not digests:
        return failed
    deliverable = []
    for digest in digests:
        subscription = digest.subscription
        if not (subscription.active and subscription.is_confirmed and subscription.deleted_at is None):
            Digest.objects.filter(pk=digest.pk, state=Digest.State.PENDING).update(
                state=Digest.State.FAILED)
            DeliveryAttempt.objects.create(digest=digest, error="Not sent: unsubscribed or unconfirmed.")
        else:
            deliverable.append(digest)
    claimed = _claim(deliverable, timezone.now()) if deliverable else set()
    connection = get_connection()
    try:
        for digest in deliverable:
            if digest.pk not in claimed:
                continue  # sent already, or another worker holds it
            started = time.monotonic()
            try:
                connection.open()  # no-op while the session is open: one connection for the batch
                connection.send_messages([email.digest_message(digest)])
            except (smtplib.SMTPException, OSError) as exc:
                log.warning("Digest %s not sent: %s", digest.pk, exc)
                Digest.objects.filter(pk=digest.pk, state=Digest.State.SENDING).update(
                    state=Digest.State.PENDING, lease_until=None)
                DeliveryAttempt.objects.create(
                    digest=digest, error=str(exc)[:2000], latency_ms=_ms(started),
                    status_code=getattr(exc, "smtp_code", None),
                )
                failed.append(digest.pk)
                connection.close()  # a broken session is reopened for the next message
                continue
            with transaction.atomic():  # one commit: "sent" and its attempt together
                Digest.objects.filter(pk=digest.pk, state=Digest.State.SENDING).update(
                    state=Digest.State.SENT, sent_at=timezone.now(), lease_until=None)
                DeliveryAttempt.objects.create(digest=digest, succeeded=True, latency_ms=_ms(started))
    finally:
        connection.close()
    return failed


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
