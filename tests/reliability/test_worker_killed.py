"""A worker SIGKILLed in the middle of a digest run: after a restart every window goes out once.

The worker is a real `celery worker --pool=solo` subprocess on the test
database; a gated receiver (HTTP or SMTP) holds the delivery in flight so the
kill lands mid-send. Recovery comes from the database (the sweep finds the
digest whose send was lost or whose lease ran out); the killed job's own queue
message, which Redis hands out again after its visibility timeout (an hour;
requeued by hand here), then finds nothing left to send.
"""

from __future__ import annotations

import pytest

from digests import services as digest_services
from digests import tasks
from digests.models import Digest
from tests.broker import celery_broker, redis_url
from tests.digests.helpers import make_subscription, revise
from tests.digests.webhook_support import make_webhook_subscription
from tests.factories import make_development
from tests.reliability.fault_support import (
    Broker,
    GatedReceiver,
    WorkerProcess,
    smtp_server,
    wait_until_idle,
)
from tests.smtp import Gate
from tests.waiting import wait_for

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

ADDRESS = "reader@example.org"


@pytest.fixture
def broker(settings):
    """Redis (our db) as this process's broker, emptied before and after."""
    broker = Broker()
    broker.flush()
    # The sweep's "lost" periods as the worker has them (tests/reliability/worker_settings.py).
    settings.DIGESTS_LEASE_SECONDS = settings.DIGESTS_STALE_PENDING_SECONDS = 1
    settings.WEBHOOKS_LOST_DISPATCH_SECONDS = 1
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    with celery_broker(redis_url(), settings):
        yield broker
    broker.flush()


@pytest.fixture
def development(editor):
    return make_development(author=editor, summary="First report.")


def _kill_mid_send_then_recover(broker: Broker, gate: Gate, *, smtp_port: int | None = None) -> Digest:
    """Start a worker, kill it once a delivery is held in flight, restart it and let it recover."""
    worker = WorkerProcess(smtp_port=smtp_port).start()
    try:
        wait_for(gate.held.is_set, timeout=30)
        worker.kill()
    finally:
        worker.stop()
    gate.release()
    [digest] = Digest.objects.all()
    assert digest.state != "sent"

    worker = WorkerProcess(smtp_port=smtp_port).start()
    try:
        # Beat's sweep, once the digest counts as lost (a lease or a dispatch period of 1 s).
        wait_for(lambda: digest.pk in digest_services.digests_stale(), timeout=10)
        tasks.sweep_digests.delay()
        wait_for(lambda: Digest.objects.filter(pk=digest.pk, state="sent").exists(), timeout=30)
        # Later the killed job's own message comes back (Redis's visibility timeout), and
        # the next sweep runs: both find the window delivered. The live worker acks its own
        # jobs just after they finish, so only the killed job's message stays taken.
        wait_for(lambda: broker.taken() == 1, timeout=10)
        assert broker.redeliver_unacked() == 1
        tasks.sweep_digests.delay()
        wait_until_idle(broker)
    finally:
        worker.stop()
    digest.refresh_from_db()
    return digest


def test_a_webhook_digest_interrupted_by_a_kill_is_resent_with_the_same_webhook_id(
    broker, editor, development,
):
    gate = Gate(hold=1)
    with GatedReceiver(gate) as receiver:
        subscription, _ = make_webhook_subscription(receiver.url, stories=[development.story])
        revise(development, editor, message="Toll updated", summary="Second report.")

        digest = _kill_mid_send_then_recover(broker, gate)

    assert Digest.objects.filter(subscription=subscription).count() == 1
    # Received twice (the first answer went to a dead worker), both with one webhook-id: one delivery.
    assert receiver.webhook_ids() == [str(digest.message_id)] * 2
    assert [(a.succeeded, a.status_code) for a in digest.attempts.all()] == [(True, 200)]


def test_an_email_digest_killed_before_the_server_accepted_it_arrives_once(broker, editor, development):
    gate = Gate(hold=1)
    with smtp_server(gate) as (mailbox, smtp_port):
        make_subscription(development.story, email=ADDRESS, frequency="immediate")
        revise(development, editor, message="Toll updated", summary="Second report.")

        digest = _kill_mid_send_then_recover(broker, gate, smtp_port=smtp_port)

    [message] = mailbox.to(ADDRESS)
    assert "Second report." in message.get_body(preferencelist=("plain",)).get_content()
    assert [a.succeeded for a in digest.attempts.all()] == [True]


def test_an_email_accepted_by_the_server_just_before_the_kill_is_the_one_documented_duplicate(
    broker, editor, development,
):
    # The gap (README, "Guarantees"): the SMTP server has taken the message, the
    # worker dies before recording it, so the restarted worker sends it again.
    # Both copies carry the digest's Message-ID, so mail software can fold them.
    gate = Gate(hold=1)
    with smtp_server(gate, accept_first=True) as (mailbox, smtp_port):
        make_subscription(development.story, email=ADDRESS, frequency="immediate")
        revise(development, editor, message="Toll updated", summary="Second report.")

        digest = _kill_mid_send_then_recover(broker, gate, smtp_port=smtp_port)

    copies = mailbox.to(ADDRESS)
    assert len(copies) == 2
    assert {m["Message-ID"] for m in copies} == {f"<digest-{digest.message_id}@localhost>"}
    assert Digest.objects.count() == 1 and [a.succeeded for a in digest.attempts.all()] == [True]
