"""Several Pushpins (GRIP_URL with commas): each gets every publish; one down never keeps it from others."""

from __future__ import annotations

import pytest

from live import grip, services
from record.models import Revision
from tests.digests.webhook_support import Receiver
from tests.factories import make_development
from tests.ports import free_port

pytestmark = pytest.mark.django_db


def _publish_url(receiver: Receiver) -> str:
    return f"http://127.0.0.1:{receiver.port}/"


def test_every_pushpin_named_in_grip_url_gets_every_publish(settings):
    with Receiver() as first, Receiver() as second:
        settings.GRIP_URL = f"{_publish_url(first)}, {_publish_url(second)}"
        make_development()
        revision = Revision.objects.latest("id").id
        assert services.revision_publish(revision) == 2
    assert [r.path for r in first.requests] == [r.path for r in second.requests] == ["/publish/"]
    assert first.requests[0].json == second.requests[0].json


def test_a_pushpin_that_is_down_is_named_and_the_others_still_get_the_publish(settings):
    down = f"http://127.0.0.1:{free_port()}/"
    with Receiver() as up:
        settings.GRIP_URL = f"{down},{_publish_url(up)}"
        make_development()
        with pytest.raises(grip.PublishError) as failed:
            services.revision_publish(Revision.objects.latest("id").id)
    assert failed.value.urls == [down]
    assert up.count() == 1


def test_a_retry_publishes_only_to_the_pushpins_that_failed(settings):
    with Receiver() as first, Receiver() as retried:
        settings.GRIP_URL = f"{_publish_url(first)},{_publish_url(retried)}"
        make_development()
        services.revision_publish(Revision.objects.latest("id").id, urls=[_publish_url(retried)])
    assert (first.count(), retried.count()) == (0, 1)
