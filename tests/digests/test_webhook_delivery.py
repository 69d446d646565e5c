"""Delivering a digest to a webhook: signed, logged attempt by attempt, retried, disabled."""

import datetime as dt

import pytest
from standardwebhooks import Webhook

from digests import services, webhooks
from digests.models import Digest
from tests.digests.webhook_support import make_digest, make_webhook_subscription

pytest_plugins = ["tests.digests.webhook_receiver"]  # the `receiver` fixture


pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_retries(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0
    settings.WEBHOOKS_MAX_ATTEMPTS = 3


def test_a_delivery_is_signed_with_the_subscription_secret(receiver):
    subscription, secret = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    received = receiver.requests[0]
    payload = Webhook(secret).verify(received.body, received.headers)
    assert payload["type"] == "digest"
    assert payload["digest_id"] == digest.id
    assert payload["version"] == 1


def test_the_webhook_id_is_the_digest_message_id(receiver):
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    assert receiver.requests[0].headers["webhook-id"] == str(digest.message_id)
    assert receiver.requests[0].headers["content-type"] == "application/json"


def test_a_2xx_answer_marks_the_digest_sent_and_logs_the_attempt(receiver):
    receiver.answers = [204]
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    attempt = webhooks.deliver_digest(digest)
    digest.refresh_from_db()
    assert digest.state == Digest.State.SENT and digest.sent_at is not None
    assert (attempt.succeeded, attempt.status_code, attempt.error) == (True, 204, "")
    assert attempt.next_retry_at is None and attempt.latency_ms is not None


def test_a_failed_answer_schedules_a_retry_and_keeps_the_digest_pending(receiver):
    receiver.answers = [500]
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    attempt = webhooks.deliver_digest(digest)
    digest.refresh_from_db()
    subscription.refresh_from_db()
    assert digest.state == Digest.State.PENDING
    assert attempt.status_code == 500 and attempt.error.startswith("HTTP 500")
    assert attempt.next_retry_at > attempt.attempted_at
    assert subscription.consecutive_failures == 1 and subscription.active


def test_asking_twice_for_the_first_attempt_sends_once(receiver):
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    webhooks.deliver_digest(digest)
    assert receiver.count() == 1


def test_a_retry_is_made_only_when_due(receiver, settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 3600
    receiver.answers = [500]
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    assert webhooks.retry_delivery(digest.id) is None
    assert webhooks.due_retry_digest_ids() == []
    assert webhooks.due_retry_digest_ids(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)) == [digest.id]


def test_a_retry_reuses_the_webhook_id_and_success_resets_the_failure_count(receiver, fast_retries):
    receiver.answers = [503]
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    retry = webhooks.retry_delivery(digest.id)
    assert retry.succeeded
    assert [r.headers["webhook-id"] for r in receiver.requests] == [str(digest.message_id)] * 2
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0 and subscription.active


def test_410_gone_disables_the_subscription_with_a_reason(receiver):
    receiver.answers = [410]
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    attempt = webhooks.deliver_digest(digest)
    subscription.refresh_from_db()
    digest.refresh_from_db()
    assert not subscription.active and "410" in subscription.disabled_reason
    assert digest.state == Digest.State.FAILED and attempt.next_retry_at is None


def test_too_many_consecutive_failures_disable_the_subscription(receiver, fast_retries):
    receiver.default = 500
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    while webhooks.retry_delivery(digest.id) is not None:
        pass
    subscription.refresh_from_db()
    digest.refresh_from_db()
    assert receiver.count() == 3
    assert not subscription.active
    assert subscription.disabled_reason.startswith("3 consecutive failed deliveries; the last: HTTP 500")
    assert digest.state == Digest.State.FAILED


def test_a_redirect_is_a_failure_and_is_not_followed(receiver):
    receiver.answers = [301]
    subscription, _ = make_webhook_subscription(receiver.url)
    attempt = webhooks.deliver_digest(make_digest(subscription))
    assert not attempt.succeeded and attempt.status_code == 301
    assert receiver.count() == 1


def test_a_target_refused_at_delivery_is_a_failed_attempt(receiver, settings):
    subscription, _ = make_webhook_subscription(receiver.url)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    attempt = webhooks.deliver_digest(make_digest(subscription))
    assert receiver.count() == 0
    assert attempt.status_code is None and "127.0.0.1, a loopback address" in attempt.error


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(settings):
    import socket

    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.2
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        subscription, _ = make_webhook_subscription(f"http://127.0.0.1:{silent.getsockname()[1]}/")
        attempt = webhooks.deliver_digest(make_digest(subscription))
    assert attempt.status_code is None and "timed out" in attempt.error.lower()


def test_nothing_is_sent_to_a_paused_subscription(receiver):
    subscription, _ = make_webhook_subscription(receiver.url)
    services.subscription_pause(subscription=subscription)
    assert webhooks.deliver_digest(make_digest(subscription)) is None
    assert receiver.count() == 0


def test_a_ping_is_signed_and_says_it_is_a_ping(receiver):
    subscription, secret = make_webhook_subscription(receiver.url)
    outcome = webhooks.send_ping(subscription)
    assert outcome.succeeded
    payload = Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
    assert payload["type"] == "ping" and payload["subscription_id"] == subscription.id


def test_the_default_retry_schedule_spans_at_least_a_day_and_grows():
    from django.conf import settings

    delays = [webhooks.retry_delay(n) for n in range(1, settings.WEBHOOKS_MAX_ATTEMPTS)]
    assert sum(delays, dt.timedelta()) >= dt.timedelta(days=1)
    assert delays[0] < delays[3] < delays[7]
