"""Webhook delivery: signed POSTs of digests, retried with backoff, logged attempt by attempt.

One attempt = one `DeliveryAttempt` row (status, latency, error, next retry).
The retry schedule lives in the database (`next_retry_at`), not in long queue
ETAs: a short-ETA task is enqueued for near retries, and a beat sweep
(`retry_due_deliveries`) picks up every due retry, so a lost queue message
delays a retry by one sweep at most. `webhook-id` is the digest's
`message_id`, the same on every attempt, so receivers can drop duplicates.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import random
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from record.selectors import latest_revision_id, leaf_indexes

from . import signing, ssrf
from .builder import CONTENT_VERSION
from .models import DeliveryAttempt, Digest, Subscription

logger = logging.getLogger(__name__)

# Retries nearer than this go to the queue as a countdown task; later ones wait
# for the sweep. Kept well below the Redis broker's visibility timeout.
MAX_QUEUED_RETRY_SECONDS = 300


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
    """How long to wait after failed attempt number `attempt_number` (1-based).

    Exponential, capped, with additive jitter (never shorter than the base
    curve, so the whole schedule spans at least its nominal length) to keep
    many failing receivers from being retried in lockstep.
    """
    base = settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** (attempt_number - 1)
    delay = min(base, settings.WEBHOOKS_RETRY_MAX_DELAY_SECONDS)
    return dt.timedelta(seconds=delay * (1 + random.uniform(0, 0.25)))


def send_signed(subscription: Subscription, *, message_id: str, body: bytes) -> ssrf.Outcome:
    """One signed POST to the subscription's URL, through the SSRF guard."""
    headers = signing.signed_headers(
        secret=subscription.secret, message_id=message_id,
        timestamp=int(timezone.now().timestamp()), body=body,
    )
    return ssrf.post(subscription.url, body=body, headers=headers)


def send_ping(subscription: Subscription) -> ssrf.Outcome:
    """A signed test delivery; logged by the caller's response, not as a digest attempt."""
    _require_webhook(subscription)
    body = encode(ping_payload(subscription))
    return send_signed(subscription, message_id=f"ping_{uuid.uuid4()}", body=body)


def deliver_digest(digest: Digest) -> DeliveryAttempt | None:
    """The first attempt at a webhook digest, made once however often it is asked for.

    Never raises for the receiver's trouble: a refusal, a timeout or a non-2xx
    answer is a failed attempt with its error and, while attempts remain, its
    next retry. The digest row is locked for the attempt, and a digest that
    already has an attempt is left to its retry schedule (its latest attempt is
    returned), so a duplicated dispatch never sends twice. Nothing is sent to a
    paused or disabled subscription (None): the dispatch sweep offers the digest
    again, and it goes out once the owner resumes.
    """
    with transaction.atomic():
        locked = _locked(digest.pk, skip_locked=False)
        latest = locked.attempts.order_by("-id").first()
        if latest is not None or locked.state != Digest.State.PENDING:
            return latest
        if locked.subscription.deleted_at is not None:
            locked.state = Digest.State.FAILED
            locked.save(update_fields=["state"])
            return None
        if not locked.subscription.active:
            return None
        return _attempt(locked)


def retry_delivery(digest_id: int) -> DeliveryAttempt | None:
    """Make the scheduled retry of one digest if it is due; None when there is nothing to do.

    Safe to call twice or concurrently (queue redelivery, sweep plus
    countdown task): the second caller finds the row locked or the retry no
    longer due.
    """
    with transaction.atomic():
        digest = _locked(digest_id, skip_locked=True)
        if digest is None or digest.state != Digest.State.PENDING or not digest.subscription.active:
            return None
        last = digest.attempts.order_by("-id").first()
        if last is None or last.next_retry_at is None or last.next_retry_at > timezone.now():
            return None
        return _attempt(digest)


def due_retry_digest_ids(now: dt.datetime | None = None) -> list[int]:
    """Digests whose latest attempt failed and whose retry time has come."""
    later = DeliveryAttempt.objects.filter(digest=OuterRef("digest"), id__gt=OuterRef("id"))
    return list(
        DeliveryAttempt.objects.filter(
            next_retry_at__lte=now or timezone.now(),
            digest__state=Digest.State.PENDING,
            digest__subscription__active=True,
        )
        .filter(~Exists(later))
        .order_by("next_retry_at")
        .values_list("digest_id", flat=True)
    )


def retry_due_deliveries() -> int:
    """The sweep: queue one retry task per due digest; returns how many were queued."""
    from . import tasks

    digest_ids = due_retry_digest_ids()
    for digest_id in digest_ids:
        tasks.webhook_retry.delay(digest_id)
    return len(digest_ids)


def _locked(digest_id: int, *, skip_locked: bool) -> Digest | None:
    return (
        Digest.objects.select_for_update(skip_locked=skip_locked, of=("self",))
        .select_related("subscription").filter(pk=digest_id).first()
    )


def _attempt(digest: Digest) -> DeliveryAttempt:
    subscription = digest.subscription
    if subscription.channel != Subscription.Channel.WEBHOOK:
        raise ValueError(f"Digest {digest.pk} belongs to a {subscription.channel} subscription.")
    body = encode(digest_payload(digest))
    outcome = send_signed(subscription, message_id=str(digest.message_id), body=body)
    number = digest.attempts.count() + 1
    now = timezone.now()
    next_retry_at = None
    if outcome.succeeded:
        Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        digest.state, digest.sent_at = Digest.State.SENT, now
        digest.save(update_fields=["state", "sent_at"])
    else:
        _count_failure(subscription, outcome)
        subscription.refresh_from_db(fields=["active", "consecutive_failures", "disabled_reason"])
        if digest.state == Digest.State.PENDING:
            if subscription.active and number < settings.WEBHOOKS_MAX_ATTEMPTS:
                next_retry_at = now + retry_delay(number)
            else:
                digest.state = Digest.State.FAILED
                digest.save(update_fields=["state"])
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
        _queue_retry(digest.pk, next_retry_at)
    return attempt


def _count_failure(subscription: Subscription, outcome: ssrf.Outcome) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    failures = Subscription.objects.values_list("consecutive_failures", flat=True).get(pk=subscription.pk)
    reason = ""
    if outcome.status_code == 410:
        reason = "The receiver answered 410 Gone: it asked for no more deliveries."
    elif failures >= settings.WEBHOOKS_MAX_ATTEMPTS:
        reason = f"{failures} consecutive failed deliveries; the last: {outcome.error or 'no answer'}"
    if reason:
        subscription_disable(subscription, reason=reason)


def subscription_disable(subscription: Subscription, *, reason: str) -> None:
    """Stop deliveries to a failing receiver; the reason is shown to its owner."""
    Subscription.objects.filter(pk=subscription.pk, active=True).update(
        active=False, disabled_reason=reason[:2000]
    )
    logger.warning("webhook subscription %s disabled: %s", subscription.pk, reason)


def _queue_retry(digest_id: int, when: dt.datetime) -> None:
    countdown = (when - timezone.now()).total_seconds()
    if countdown > MAX_QUEUED_RETRY_SECONDS:
        return  # the beat sweep will find it
    from . import tasks

    transaction.on_commit(
        lambda: tasks.webhook_retry.apply_async((digest_id,), countdown=max(countdown, 0))
    )


# --- subscriptions managed through the API ------------------------------------

def webhook_subscription_create(
    *, owner, url: str, stories: list, kinds: list[str], frequency: str, include_minor: bool = False,
) -> tuple[Subscription, str]:
    """A new webhook subscription and its signing secret (shown to the owner once).

    It starts at the latest revision: a new integrator is sent what changes
    from now on, not the whole archive. No opt-in round trip: the owner is an
    authenticated API user naming their own endpoint.
    """
    ssrf.check_url(url)
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
    _require_webhook(subscription)
    secret = signing.new_secret()
    Subscription.objects.filter(pk=subscription.pk).update(secret=secret)
    subscription.secret = secret
    return secret


def subscription_pause(*, subscription: Subscription) -> Subscription:
    _require_webhook(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(active=False)
    subscription.refresh_from_db()
    return subscription


def subscription_resume(*, subscription: Subscription) -> Subscription:
    """Deliver again, also after an automatic disable: the failure count starts over."""
    _require_webhook(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(
        active=True, disabled_reason="", consecutive_failures=0
    )
    subscription.refresh_from_db()
    return subscription


def subscription_delete(*, subscription: Subscription) -> None:
    """Stop deliveries for good; the subscription, its digests and attempts stay on record."""
    _require_webhook(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(
        active=False, deleted_at=timezone.now()
    )


def digest_redeliver(*, subscription: Subscription, digest_id: int) -> DeliveryAttempt:
    """Send one of the subscription's digests again now, whatever its state, with the same webhook-id.

    The owner asked for it, so it goes out even while the subscription is
    paused or disabled; a failure here only schedules retries for a digest
    that was still being retried.
    """
    _require_webhook(subscription)
    digest = subscription.digests.get(pk=digest_id)
    with transaction.atomic():
        return _attempt(_locked(digest.pk, skip_locked=False))


class NotAWebhook(Exception):
    """An operation that only makes sense for a webhook subscription."""


def _require_webhook(subscription: Subscription) -> None:
    if subscription.channel != Subscription.Channel.WEBHOOK:
        raise NotAWebhook("Email subscriptions are managed through the links in their emails.")
