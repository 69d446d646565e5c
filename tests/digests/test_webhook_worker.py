"""End to end on a real Celery worker (Redis): an editor's revision reaches a real HTTP receiver."""

import pytest
from standardwebhooks import Webhook

from digests.models import Digest
from tests.digests.helpers import revise
from tests.digests.webhook_support import make_webhook_subscription
from tests.factories import make_development
from tests.waiting import wait_for

pytest_plugins = ["tests.digests.webhook_receiver"]  # the `receiver` fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fast_retries(settings):
    # Retries wait milliseconds instead of minutes; the schedule's shape is unchanged.
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 0.05
    settings.WEBHOOKS_MAX_ATTEMPTS = 4


@pytest.fixture
def development(editor):
    return make_development(author=editor, summary="First report.")


def test_an_editor_revision_produces_one_verified_delivery(celery_redis_worker, receiver, editor,
                                                           development):
    subscription, secret = make_webhook_subscription(receiver.url, stories=[development.story])

    revise(development, editor, message="Toll updated", summary="Second report.")

    digest = wait_for(lambda: Digest.objects.filter(subscription=subscription, state="sent").first())
    assert receiver.count() == 1
    received = receiver.requests[0]
    payload = Webhook(secret).verify(received.body, received.headers)
    assert received.headers["webhook-id"] == str(digest.message_id)
    [story] = payload["stories"]
    [changed] = story["changed_developments"]
    assert (changed["id"], changed["revisions"][0]["message"]) == (development.id, "Toll updated")
    assert [c for c in changed["changes"] if c["field"] == "summary"][0]["after"] == "Second report."


def test_a_receiver_that_fails_twice_then_succeeds_gets_the_same_webhook_id_three_times(
    celery_redis_worker, receiver, editor, development, fast_retries,
):
    receiver.answers = [500, 502]
    subscription, _ = make_webhook_subscription(receiver.url, stories=[development.story])

    revise(development, editor, summary="Second report.")

    digest = wait_for(lambda: Digest.objects.filter(subscription=subscription, state="sent").first())
    assert [r.headers["webhook-id"] for r in receiver.requests] == [str(digest.message_id)] * 3
    assert [(a.status_code, a.succeeded) for a in digest.attempts.all()] == [
        (500, False), (502, False), (200, True)]
    subscription.refresh_from_db()
    assert subscription.active and subscription.consecutive_failures == 0


def test_a_receiver_that_always_fails_ends_disabled_with_a_reason(
    celery_redis_worker, receiver, editor, development, fast_retries,
):
    receiver.default = 500
    subscription, _ = make_webhook_subscription(receiver.url, stories=[development.story])

    revise(development, editor, summary="Second report.")

    digest = wait_for(lambda: Digest.objects.filter(subscription=subscription, state="failed").first())
    subscription.refresh_from_db()
    assert not subscription.active
    assert subscription.disabled_reason.startswith("4 consecutive failed deliveries; the last: HTTP 500")
    assert receiver.count() == 4
    assert [a.next_retry_at is None for a in digest.attempts.all()] == [False, False, False, True]


def test_the_sweep_makes_due_retries_whose_queue_message_was_lost(
    celery_redis_worker, receiver, editor, development, settings,
):
    # A retry far beyond the short-ETA limit is left to the sweep; we move it into the past.
    from django.utils import timezone

    from digests import tasks

    settings.WEBHOOKS_RETRY_BASE_SECONDS = 3600
    receiver.answers = [500]
    subscription, _ = make_webhook_subscription(receiver.url, stories=[development.story])
    revise(development, editor, summary="Second report.")
    digest = wait_for(lambda: Digest.objects.filter(subscription=subscription,
                                                    attempts__isnull=False).first())
    digest.attempts.update(next_retry_at=timezone.now())

    tasks.webhook_retry_sweep.delay()

    wait_for(lambda: Digest.objects.filter(pk=digest.pk, state="sent").exists())
    assert receiver.count() == 2
