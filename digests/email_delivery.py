"""Email delivery: digests over one SMTP connection per batch, retried while a refusal is temporary.

A refusal is *permanent* when the server answers 5xx to the recipient or to
the message (RCPT, DATA): the same mail would be refused again, so the digest
fails at once, the server's answer as its `failed_reason`. Anything else (a
4xx, no connection, a timeout, a dropped session) is *temporary*: the attempt
records its `next_retry_at` (backoff from `DIGESTS_RETRY_BASE_SECONDS`), a near
retry is queued and the sweep makes the others; after
`DIGESTS_EMAIL_MAX_ATTEMPTS` attempts the digest fails for good. A failed or
sent digest is never offered again. `DIGESTS_EMAIL_SUSPEND_AFTER` digests in a
row failed for good suspend the subscription, its reason in `disabled_reason`.

At most once per digest, but for one gap (README, "Guarantees"): a crash
between the server's 250 and the commit that records it leaves the digest
"sending"; once its lease runs out the sweep sends it again, with the same
Message-ID.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import email, queue, selectors, services
from .models import DeliveryAttempt, Digest, Subscription
from .retry import backoff

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """Why one send did not go through, and whether trying again could help."""

    permanent: bool
    code: int | None
    text: str


def refusal_of(exc: Exception) -> Refusal:
    """Classify a failed send: 5xx to the recipient or the message is permanent, the rest temporary.

    A 5xx to our sender or our login is our configuration, not the address:
    it stays temporary, so fixing the relay in time still delivers.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, answer = next(iter(exc.recipients.values()))
        return Refusal(code >= 500, code, f"{code} {_text(answer)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        permanent = isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500
        return Refusal(permanent, exc.smtp_code, f"{exc.smtp_code} {_text(exc.smtp_error)}")
    return Refusal(False, None, str(exc) or type(exc).__name__)


def deliver(digests: list[Digest], *, now: dt.datetime | None = None) -> list[int]:
    """Send what is due over one SMTP connection; returns the ids refused for now (retries scheduled).

    A digest is recorded (sent, or its refusal) right after its own send, so a
    later failure in the batch never resends an earlier one.
    """
    now = now or timezone.now()
    deliverable = [digest for digest in digests if _receiving(digest)]
    leased = _lease(deliverable, now) if deliverable else set()
    retrying: list[int] = []
    connection = get_connection()
    try:
        for digest in deliverable:
            if digest.pk not in leased:
                continue  # finished, waiting out its backoff, or another worker holds it
            started = time.monotonic()
            try:
                connection.open()  # no-op while the session is open: one connection for the batch
                connection.send_messages([email.digest_message(digest)])
            except (smtplib.SMTPException, OSError) as exc:
                connection.close()  # a broken session is reopened for the next message
                if _record_refusal(digest, refusal_of(exc), _ms(started)):
                    retrying.append(digest.pk)
                continue
            _record_sent(digest, _ms(started))
    finally:
        connection.close()
    return retrying


def _receiving(digest: Digest) -> bool:
    """Nothing goes to an unsubscribed, suspended or unconfirmed address: its pending digest fails."""
    subscription = digest.subscription
    if subscription.active and subscription.is_confirmed and subscription.deleted_at is None:
        return True
    reason = "Not sent: unsubscribed or unconfirmed."
    with transaction.atomic():
        if Digest.objects.filter(pk=digest.pk, state=Digest.State.PENDING).update(
                state=Digest.State.FAILED, failed_reason=subscription.disabled_reason or reason):
            DeliveryAttempt.objects.create(digest=digest, error=reason)
    return False


def _lease(digests: list[Digest], now: dt.datetime) -> set[int]:
    """Lease the digests that are due (pending and past any backoff, or abandoned by a dead worker).

    One statement for a whole batch: a digest leased but not yet sent when a
    worker dies is only delayed until its lease runs out, never sent twice.
    """
    due = (Q(state=Digest.State.PENDING) & ~selectors.waiting_to_retry(now)
           | Q(state=Digest.State.SENDING, lease_until__lt=now))
    with transaction.atomic():
        ids = list(
            Digest.objects.select_for_update(skip_locked=True)
            .filter(due, pk__in=[digest.pk for digest in digests])
            .values_list("pk", flat=True)
        )
        Digest.objects.filter(pk__in=ids).update(
            state=Digest.State.SENDING, lease_until=now + services.lease_period())
    return set(ids)


def _record_sent(digest: Digest, latency_ms: int) -> None:
    with transaction.atomic():  # one commit: "sent" and its attempt together
        Digest.objects.filter(pk=digest.pk, state=Digest.State.SENDING).update(
            state=Digest.State.SENT, sent_at=timezone.now(), lease_until=None)
        DeliveryAttempt.objects.create(digest=digest, succeeded=True, latency_ms=latency_ms)
        services.subscription_note_delivery(digest.subscription)


def _record_refusal(digest: Digest, refusal: Refusal, latency_ms: int) -> bool:
    """Record a failed send: a retry while one may help (True), else the digest fails for good."""
    number = digest.attempts.count() + 1
    if refusal.permanent:
        reason = f"Refused for good by the mail server: {refusal.text}"
    elif number >= settings.DIGESTS_EMAIL_MAX_ATTEMPTS:
        reason = f"Not accepted after {number} attempts; the last answer: {refusal.text}"
    else:
        reason = ""
    next_retry_at = None if reason else timezone.now() + backoff(
        number, base=settings.DIGESTS_RETRY_BASE_SECONDS, cap=settings.DIGESTS_RETRY_MAX_DELAY_SECONDS)
    with transaction.atomic():
        state = Digest.State.FAILED if reason else Digest.State.PENDING
        Digest.objects.filter(pk=digest.pk, state=Digest.State.SENDING).update(
            state=state, lease_until=None, failed_reason=reason[:2000])
        DeliveryAttempt.objects.create(
            digest=digest, error=refusal.text[:2000], status_code=refusal.code,
            latency_ms=latency_ms, next_retry_at=next_retry_at,
        )
        if reason:
            _count_failed_digest(digest.subscription, reason)
    log.warning("email attempt %s digest=%s code=%s error=%r next_retry=%s",
                number, digest.pk, refusal.code, refusal.text, next_retry_at)
    if next_retry_at is not None:
        queue.enqueue_retry(digest.pk, Subscription.Channel.EMAIL, next_retry_at)
    return next_retry_at is not None


def _count_failed_digest(subscription: Subscription, reason: str) -> None:
    """An address whose digests keep failing for good is suspended (one bad day is not enough)."""
    failures = services.subscription_note_failure(subscription)
    if failures >= settings.DIGESTS_EMAIL_SUSPEND_AFTER:
        services.subscription_disable(subscription, reason=(
            f"Suspended: {failures} digests in a row could not be delivered to this address; "
            f"the last: {reason}"))


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
