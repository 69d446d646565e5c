"""Webhook delivery: signed POSTs of digests, retried with backoff, logged attempt by attempt.

One attempt = one `DeliveryAttempt` row (status, latency, error, next retry).
The retry schedule lives in the database (`next_retry_at`), not in long queue
ETAs: a short-ETA task is enqueued for near retries, and a beat sweep
(`retry_due_deliveries`) picks up every due retry, so a lost queue message
delays a retry by one sweep at most. `webhook-id` is the digest's
`message_id`, the same on every attempt, so receivers can drop duplicates.

No transaction is open and no row is locked while a POST is in flight: a
sender first takes the digest's lease (`lease_until`, in a short transaction
that commits), makes the HTTP call, then records the attempt and frees the
lease in a second short transaction. Only the lease holder sends, so a
duplicated or concurrent dispatch never POSTs twice; a sender that dies
mid-call leaves a lease that runs out (`DIGESTS_LEASE_SECONDS`, longer than
any one attempt), and the sweeps offer the digest again.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from record.selectors import leaf_indexes
from tracker import outbound

from . import queue, services, signing
from .builder import CONTENT_VERSION
from .models import DeliveryAttempt, Digest, Subscription
from .retry import backoff

logger = logging.getLogger(__name__)


class DeliveryInFlight(Exception):
    """Another sender holds this digest's lease: its attempt is being made right now."""


def digest_payload(digest: Digest) -> dict:
    """The JSON document a receiver gets for a digest (schema: README, "Webhooks").

    The builder's content (`version`, `after`, `upto`, `stories`) with the
    envelope fields a receiver needs to tell deliveries apart.
    """
    return {
        "type": "digest",
        "digest_id": digest.id,
        "subscription_id": digest.subscription_id,
        "created_at": digest.created_at,
        **_with_leaf_indexes(digest.content),
    }


def _with_leaf_indexes(content: dict) -> dict:
    # Each revision a receiver is told of names its leaf in the public log, so
    # the receiver can ask for its inclusion proof (/api/log/proof/inclusion).
    content = copy.deepcopy(content)
    revisions = [revision for story in content.get("stories", []) for entries in story.values()
                 if isinstance(entries, list) for entry in entries if isinstance(entry, dict)
                 for revision in entry.get("revisions", [])]
    found = leaf_indexes([revision["id"] for revision in revisions])
    for revision in revisions:
        revision["leaf_index"] = found.get(revision["id"])
    return content


def ping_payload(subscription: Subscription) -> dict:
    return {
        "type": "ping",
        "version": CONTENT_VERSION,
        "subscription_id": subscription.id,
        "sent_at": timezone.now(),
    }


def encode(payload: dict) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False).encode()


def retry_delay(attempt_number: int) -> dt.timedelta:
    """How long to wait after failed attempt number `attempt_number` (1-based): see retry.backoff."""
    return backoff(attempt_number, base=settings.WEBHOOKS_RETRY_BASE_SECONDS,
                   cap=settings.WEBHOOKS_RETRY_MAX_DELAY_SECONDS)


def send_signed(subscription: Subscription, *, message_id: str, body: bytes) -> outbound.Outcome:
    """One signed POST to the subscription's URL, through the SSRF guard."""
    headers = signing.signed_headers(
        secret=subscription.secret, message_id=message_id,
        timestamp=int(timezone.now().timestamp()), body=body,
    )
    return outbound.post(subscription.url, body=body, headers=headers)


def send_ping(subscription: Subscription) -> outbound.Outcome:
    """A signed test delivery; logged by the caller's response, not as a digest attempt."""
    services.require_webhook(subscription)
    body = encode(ping_payload(subscription))
    return send_signed(subscription, message_id=f"ping_{uuid.uuid4()}", body=body)


def deliver_digest(digest: Digest) -> DeliveryAttempt | None:
    """The first attempt at a webhook digest, made once however often it is asked for.

    Never raises for the receiver's trouble: a refusal, a timeout or a non-2xx
    answer is a failed attempt with its error and, while attempts remain, its
    next retry. A digest that already has an attempt is left to its retry
    schedule (its latest attempt is returned), and one whose lease another
    sender holds is left to that sender (None), so a duplicated dispatch never
    sends twice. Nothing is sent to a paused or disabled subscription (None):
    the dispatch sweep offers the digest again, and it goes out once the owner
    resumes.
    """
    with transaction.atomic():
        leased = _lease(digest.pk)
        if leased is None:
            return None
        latest = leased.attempts.order_by("-id").first()
        subscription = leased.subscription
        if latest is None and leased.state == Digest.State.PENDING and subscription.deleted_at:
            _finish(leased, state=Digest.State.FAILED,
                    failed_reason="Not sent: the subscription was deleted.")
            return None
        if latest is not None or leased.state != Digest.State.PENDING or not subscription.active:
            _release(leased)
            return latest
    return _attempt(leased)


def retry_delivery(digest_id: int) -> DeliveryAttempt | None:
    """Make the scheduled retry of one digest if it is due; None when there is nothing to do.

    Safe to call twice or concurrently (queue redelivery, sweep plus
    countdown task): the second caller finds the lease taken or the retry no
    longer due.
    """
    with transaction.atomic():
        leased = _lease(digest_id)
        if leased is None:
            return None
        last = leased.attempts.order_by("-id").first()
        due = (leased.state == Digest.State.PENDING and leased.subscription.active
               and last is not None and last.next_retry_at is not None
               and last.next_retry_at <= timezone.now())
        if not due:
            _release(leased)
            return None
    return _attempt(leased)


def digest_redeliver(*, subscription: Subscription, digest_id: int) -> DeliveryAttempt:
    """Send one of the subscription's digests again now, whatever its state, with the same webhook-id.

    The owner asked for it, so it goes out even while the subscription is
    paused or disabled; a failure here only schedules retries for a digest
    that was still being retried. Raises DeliveryInFlight while another
    attempt at the digest is being made.
    """
    services.require_webhook(subscription)
    digest = subscription.digests.get(pk=digest_id)
    with transaction.atomic():
        leased = _lease(digest.pk)
    if leased is None:
        raise DeliveryInFlight(f"Digest {digest.pk} is being delivered right now; try again shortly.")
    return _attempt(leased)


def due_retry_digest_ids(now: dt.datetime | None = None) -> list[int]:
    """Webhook digests whose latest attempt failed and whose retry time has come."""
    later = DeliveryAttempt.objects.filter(digest=OuterRef("digest"), id__gt=OuterRef("id"))
    return list(
        DeliveryAttempt.objects.filter(
            next_retry_at__lte=now or timezone.now(),
            digest__state=Digest.State.PENDING,
            digest__subscription__active=True,
            digest__subscription__channel=Subscription.Channel.WEBHOOK,
        )
        .filter(~Exists(later))
        .order_by("next_retry_at")
        .values_list("digest_id", flat=True)
    )


def retry_due_deliveries() -> int:
    """The sweep: queue one retry task per due digest; returns how many were queued."""
    now = timezone.now()
    digest_ids = due_retry_digest_ids(now)
    for digest_id in digest_ids:
        queue.enqueue_retry(digest_id, Subscription.Channel.WEBHOOK, now)
    return len(digest_ids)


# --- one attempt: lease, POST outside any transaction, record ---------------------

def _lease(digest_id: int) -> Digest | None:
    """Take the digest's lease if it is free; the digest (read after taking it), or None.

    Call inside a short transaction, and check what may be sent after this
    returns: the conditional UPDATE makes a concurrent sender wait for the row
    only until this transaction ends and then find the lease taken, and the
    reads that follow it (READ COMMITTED: each statement sees what committed
    before it) see any attempt a previous holder recorded.
    """
    now = timezone.now()
    taken = Digest.objects.filter(Q(lease_until=None) | Q(lease_until__lt=now), pk=digest_id).update(
        lease_until=now + services.lease_period())
    if not taken:
        return None
    return Digest.objects.select_related("subscription").get(pk=digest_id)


def _release(digest: Digest) -> None:
    _finish(digest)


def _finish(digest: Digest, **fields) -> None:
    """Free the lease, saving `fields` with it (one UPDATE)."""
    fields["lease_until"] = None
    Digest.objects.filter(pk=digest.pk).update(**fields)
    for name, value in fields.items():
        setattr(digest, name, value)


def _attempt(digest: Digest) -> DeliveryAttempt:
    """POST the leased digest (no transaction is open here), then record the outcome."""
    subscription = digest.subscription
    if subscription.channel != Subscription.Channel.WEBHOOK:
        _release(digest)
        raise ValueError(f"Digest {digest.pk} belongs to a {subscription.channel} subscription.")
    body = encode(digest_payload(digest))
    outcome = send_signed(subscription, message_id=str(digest.message_id), body=body)
    return _record(digest, outcome)


def _record(digest: Digest, outcome: outbound.Outcome) -> DeliveryAttempt:
    """One short transaction: the attempt, the digest's new state, the lease freed."""
    subscription = digest.subscription
    number = digest.attempts.count() + 1
    now = timezone.now()
    next_retry_at = None
    with transaction.atomic():
        if outcome.succeeded:
            services.subscription_note_delivery(subscription)
            _finish(digest, state=Digest.State.SENT, sent_at=now)
        else:
            _count_failure(subscription, outcome)
            subscription.refresh_from_db(fields=["active", "consecutive_failures", "disabled_reason"])
            if digest.state != Digest.State.PENDING:
                _release(digest)  # a redelivery of a finished digest: no retries
            elif subscription.active and number < settings.WEBHOOKS_MAX_ATTEMPTS:
                next_retry_at = now + retry_delay(number)
                _release(digest)
            else:
                _finish(digest, state=Digest.State.FAILED, failed_reason=(
                    subscription.disabled_reason
                    or f"{number} attempts failed; the last: {outcome.error or 'no answer'}")[:2000])
        attempt = DeliveryAttempt.objects.create(
            digest=digest, succeeded=outcome.succeeded, status_code=outcome.status_code,
            latency_ms=outcome.latency_ms, error=outcome.error, next_retry_at=next_retry_at,
        )
    logger.info(
        "webhook attempt %s digest=%s subscription=%s status=%s latency_ms=%s error=%r next_retry=%s",
        number, digest.pk, subscription.pk, outcome.status_code, outcome.latency_ms,
        outcome.error, next_retry_at,
    )
    if next_retry_at is not None:
        queue.enqueue_retry(digest.pk, Subscription.Channel.WEBHOOK, next_retry_at)
    return attempt


def _count_failure(subscription: Subscription, outcome: outbound.Outcome) -> None:
    failures = services.subscription_note_failure(subscription)
    reason = ""
    if outcome.status_code == 410:
        reason = "The receiver answered 410 Gone: it asked for no more deliveries."
    elif failures >= settings.WEBHOOKS_MAX_ATTEMPTS:
        reason = f"{failures} consecutive failed deliveries; the last: {outcome.error or 'no answer'}"
    if reason:
        services.subscription_disable(subscription, reason=reason)
