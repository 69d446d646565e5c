"""A webhook POST in flight holds no transaction and no row lock; the digest's lease keeps it to one POST.

The receiver is a real HTTP server that holds the first request at a gate, so
the test can look at the database while the sender waits for the answer.
PostgreSQL only: row locks (`FOR UPDATE NOWAIT`) and `pg_stat_activity`.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from digests import webhooks
from digests.models import Digest
from tests.digests.webhook_support import make_digest, make_webhook_subscription
from tests.reliability.fault_support import GatedReceiver
from tests.smtp import Gate
from tests.waiting import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks and pg_stat_activity"),
]


class Sender(threading.Thread):
    """Calls `deliver` in its own thread (its own database connection); keeps the backend pid and result."""

    def __init__(self, deliver) -> None:
        super().__init__(daemon=True)
        self.deliver = deliver
        self.backend_pid: int | None = None
        self.result = None

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]
            self.result = self.deliver()
        finally:
            connection.close()


@pytest.fixture
def held(settings):
    """A receiver that holds the first POST until the test releases its gate."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    gate = Gate(hold=1)
    with GatedReceiver(gate) as receiver:
        yield receiver, gate


@pytest.fixture
def in_flight(held):
    """A digest whose first POST is being made (held at the receiver) by another thread."""
    receiver, gate = held
    subscription, _ = make_webhook_subscription(receiver.url)
    digest = make_digest(subscription)
    sender = Sender(lambda: webhooks.deliver_digest(digest))
    sender.start()
    wait_for(gate.held.is_set)
    yield digest, sender, receiver
    gate.release()
    sender.join(timeout=30)


def _backend_state(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_the_digest_row_is_not_locked_while_its_post_is_in_flight(in_flight):
    digest, _sender, _receiver = in_flight
    with transaction.atomic():  # raises (lock not available) if the sender held the row
        assert list(Digest.objects.select_for_update(nowait=True).filter(pk=digest.pk)) == [digest]


def test_no_transaction_is_open_on_the_sending_connection_while_its_post_is_in_flight(in_flight):
    _digest, sender, _receiver = in_flight
    assert _backend_state(sender.backend_pid) == "idle"


def test_a_second_delivery_while_one_is_in_flight_does_not_post_again(in_flight, held):
    digest, first, receiver = in_flight
    second = Sender(lambda: webhooks.deliver_digest(digest))
    second.start()
    second.join(timeout=10)
    assert not second.is_alive() and second.result is None  # not waiting on a lock, not sending

    held[1].release()
    first.join(timeout=30)

    assert receiver.count() == 1
    assert [(a.succeeded, a.status_code) for a in digest.attempts.all()] == [(True, 200)]
    digest.refresh_from_db()
    assert (digest.state, digest.lease_until) == (Digest.State.SENT, None)


def test_a_redelivery_asked_for_while_an_attempt_is_in_flight_is_refused(in_flight):
    digest, _sender, receiver = in_flight
    with pytest.raises(webhooks.DeliveryInFlight):
        webhooks.digest_redeliver(subscription=digest.subscription, digest_id=digest.pk)
    assert receiver.count() == 1
