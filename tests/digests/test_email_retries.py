"""Email retries are bounded: a 5xx fails a digest at once, a 4xx is retried with backoff, a
failed digest is never revived, and an address that keeps refusing is suspended.

Against a real SMTP server (aiosmtpd) that answers 550 or 451 at DATA. Time
moves on by passing a later `now` to the sweep and the sender, as beat would
call them later; the retry schedule itself is what the attempts recorded.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from digests import delivery, services, tasks
from digests.models import Digest
from tests.digests.helpers import make_subscription, revise
from tests.factories import make_development
from tests.ports import free_port

ADDRESS = "reader@example.org"
MAILBOX_UNAVAILABLE = "550 5.1.1 Mailbox unavailable (refused on purpose by the test)"
LATER = dt.timedelta(days=30)


@pytest.fixture
def development(editor):
    return make_development(author=editor, summary="First report.")


def _one_digest(development, editor, *, summary: str = "Second report.") -> Digest:
    """A new window for the development's followers, delivered by the daily job."""
    revise(development, editor, summary=summary)
    call_command("send_digests", "--frequency", "daily")
    return Digest.objects.order_by("-id").first()


@pytest.mark.django_db
def test_a_550_refusal_fails_the_digest_at_once_with_the_servers_answer(smtp_server, editor, development):
    make_subscription(development.story)
    smtp_server.refusal, smtp_server.fail_next = MAILBOX_UNAVAILABLE, 100

    digest = _one_digest(development, editor)

    digest.refresh_from_db()
    assert digest.state == Digest.State.FAILED
    assert "550 5.1.1 Mailbox unavailable" in digest.failed_reason
    [attempt] = digest.attempts.all()
    assert (attempt.succeeded, attempt.status_code, attempt.next_retry_at) == (False, 550, None)
    assert smtp_server.refused == 1


@pytest.mark.django_db
def test_the_sweep_never_revives_a_digest_refused_for_good(
    smtp_server, editor, development, django_capture_on_commit_callbacks,
):
    make_subscription(development.story)
    smtp_server.refusal, smtp_server.fail_next = MAILBOX_UNAVAILABLE, 100
    digest = _one_digest(development, editor)

    assert services.digests_stale(now=timezone.now() + LATER) == []
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_digests()
    delivery.digests_deliver([digest.pk], now=timezone.now() + LATER)

    digest.refresh_from_db()
    assert digest.state == Digest.State.FAILED
    assert smtp_server.refused == 1 and smtp_server.messages == []
    assert digest.attempts.count() == 1


@pytest.mark.django_db
def test_a_451_refusal_is_retried_after_its_backoff_and_then_sent_once(smtp_server, editor, development):
    make_subscription(development.story)
    smtp_server.fail_next = 1  # 451, then 250

    digest = _one_digest(development, editor)
    [refused] = digest.attempts.all()
    digest.refresh_from_db()
    assert digest.state == Digest.State.PENDING and refused.status_code == 451
    # DIGESTS_RETRY_BASE_SECONDS (30) after the first attempt, plus jitter.
    assert refused.next_retry_at - refused.attempted_at > dt.timedelta(seconds=29)

    # Before the backoff has passed, neither the sweep nor a duplicate job sends it.
    assert services.digests_stale() == []
    assert delivery.digests_deliver([digest.pk]) == []
    assert smtp_server.messages == []

    due = refused.next_retry_at
    assert services.digests_stale(now=due) == [digest.pk]
    delivery.digests_deliver([digest.pk], now=due)
    delivery.digests_deliver([digest.pk], now=due + LATER)  # a late duplicate finds it sent

    digest.refresh_from_db()
    assert digest.state == Digest.State.SENT
    assert len(smtp_server.to(ADDRESS)) == 1
    assert [(a.succeeded, a.status_code) for a in digest.attempts.all()] == [(False, 451), (True, None)]
    assert services.digests_stale(now=due + LATER) == []


@pytest.mark.django_db
def test_temporary_refusals_end_in_a_failed_digest_after_the_last_attempt(
    smtp_server, editor, development, settings,
):
    settings.DIGESTS_EMAIL_MAX_ATTEMPTS = 3
    make_subscription(development.story)
    smtp_server.fail_next = 100  # 451 for ever

    digest = _one_digest(development, editor)
    now = timezone.now()
    for _ in range(5):  # more sweeps than attempts allowed
        now += LATER
        delivery.digests_deliver(services.digests_stale(now=now), now=now)

    digest.refresh_from_db()
    assert digest.state == Digest.State.FAILED
    assert digest.failed_reason.startswith("Not accepted after 3 attempts") and "451" in digest.failed_reason
    assert smtp_server.refused == 3
    assert [a.next_retry_at is None for a in digest.attempts.all()] == [False, False, True]


@pytest.mark.django_db
def test_an_unreachable_mail_server_is_a_temporary_failure(smtp_server, editor, development, settings):
    make_subscription(development.story)
    settings.EMAIL_PORT = free_port()  # nothing listens there: the connection is refused

    digest = _one_digest(development, editor)

    digest.refresh_from_db()
    [attempt] = digest.attempts.all()
    assert digest.state == Digest.State.PENDING and digest.failed_reason == ""
    assert attempt.status_code is None and attempt.next_retry_at is not None


@pytest.mark.django_db
def test_an_address_that_keeps_refusing_is_suspended_with_the_reason_shown_in_the_desk(
    smtp_server, editor, development, settings, client,
):
    settings.DIGESTS_EMAIL_SUSPEND_AFTER = 2
    subscription = make_subscription(development.story)
    smtp_server.refusal, smtp_server.fail_next = MAILBOX_UNAVAILABLE, 100

    _one_digest(development, editor, summary="Second report.")
    subscription.refresh_from_db()
    assert subscription.active  # one bad day is not enough
    _one_digest(development, editor, summary="Third report.")
    _one_digest(development, editor, summary="Fourth report.")

    subscription.refresh_from_db()
    assert not subscription.active
    assert subscription.disabled_reason.startswith("Suspended: 2 digests in a row")
    assert "550 5.1.1" in subscription.disabled_reason
    assert smtp_server.refused == 2  # nothing more is sent to the suspended address
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests-only"))
    page = client.get("/admin/digests/subscription/").content.decode()
    assert "Suspended: 2 digests in a row" in page


@pytest.mark.django_db
def test_a_delivered_digest_clears_the_count_of_refusals(smtp_server, editor, development, settings):
    settings.DIGESTS_EMAIL_SUSPEND_AFTER = 2
    subscription = make_subscription(development.story)
    smtp_server.refusal, smtp_server.fail_next = MAILBOX_UNAVAILABLE, 1

    _one_digest(development, editor, summary="Second report.")
    _one_digest(development, editor, summary="Third report.")

    subscription.refresh_from_db()
    assert subscription.active and subscription.consecutive_failures == 0

