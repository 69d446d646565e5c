"""Redis down: editors still save and readers still read; every due digest goes out once it is back.

The database is the truth and queue messages are hints: a revision saved while
the broker is unreachable loses only its "send the immediate digests" message,
and the sweep (and the scheduled jobs) derive the pending windows from the
subscriptions' cursors, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from digests import services as digest_services
from digests import tasks
from digests.models import Digest, Subscription
from events.models import Development
from record.models import Revision
from tests.broker import celery_broker, redis_url
from tests.desk.forms import form_data
from tests.digests.helpers import make_subscription, revise
from tests.digests.webhook_support import make_webhook_subscription
from tests.factories import make_development
from tests.reliability.fault_support import (
    GatedReceiver,
    WorkerProcess,
    dead_broker_url,
    smtp_server,
    wait_until_idle,
)
from tests.waiting import wait_for
from tracker.settings import redis_cache

pytestmark = [pytest.mark.fault]

IMMEDIATE, DAILY = "immediate@example.org", "daily@example.org"


@pytest.fixture
def redis_down(settings):
    """Broker and cache on a port where nothing listens, as when REDIS_URL's server is down."""
    dead = dead_broker_url()
    settings.CACHES = redis_cache(dead)
    with celery_broker(dead, settings):
        yield


def _api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.mark.django_db
def test_pages_feeds_and_api_reads_answer_while_redis_is_down(redis_down, client, demo_story):
    development = Development.objects.filter(story=demo_story).first()
    urls = [
        "/", f"/stories/{demo_story.slug}/", f"/stories/{demo_story.slug}/feed.atom",
        f"/stories/{demo_story.slug}/feed.json", f"/stories/{demo_story.slug}/changes/",
        f"/stories/{demo_story.slug}/developments/{development.pk}/",
        "/api/changes/?after=0", f"/api/developments/{development.pk}/",
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


@pytest.mark.django_db(transaction=True)
def test_edits_saved_while_the_broker_is_down_are_all_delivered_once_it_returns(
    redis_down, broker, settings, client, editor,
):
    development = make_development(author=editor, summary="First report.")
    story = development.story
    for address, frequency in ((IMMEDIATE, "immediate"), (DAILY, "daily")):
        make_subscription(story, email=address, frequency=frequency)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    with GatedReceiver() as receiver, smtp_server() as (mailbox, smtp_port):
        hook, _ = make_webhook_subscription(receiver.url, stories=[story])
        first = Revision.objects.order_by("-id").first().id

        # Three editors' paths, all while nothing can reach Redis.
        revise(development, editor, message="By the service", summary="Second report.")
        response = _api_client(editor).patch(
            f"/api/developments/{development.pk}/", {"summary": "Third report.", "message": "By the API"},
            format="json", HTTP_IF_MATCH=f'"{story.slug}/development-{development.pk}-v2"')
        assert response.status_code == 200, response.content
        client.force_login(editor)
        change = f"/admin/events/development/{development.pk}/change/"
        saved = client.post(change, form_data(client.get(change), summary="Fourth report.",
                                              change_message="By the admin"))
        assert saved.status_code == 302
        assert list(Development.objects.get(pk=development.pk).history.order_by("version")
                    .values_list("summary", flat=True)) == [
            "First report.", "Second report.", "Third report.", "Fourth report."]
        assert not Digest.objects.exists()  # every "send it" hint was lost with the broker
        last = Revision.objects.order_by("-id").first().id

        # Redis is back: a worker starts and beat's jobs run (sweep, then the daily job).
        with celery_broker(redis_url(), settings):
            worker = WorkerProcess(smtp_port=smtp_port).start()
            try:
                tasks.sweep_digests.delay()
                tasks.send_scheduled_digests.delay("daily")
                wait_for(lambda: Digest.objects.filter(state="sent").count() == 3, timeout=30)
                wait_until_idle(broker)
                # Beat goes on: more sweeps and daily runs find nothing left to send.
                tasks.sweep_digests.delay()
                tasks.send_scheduled_digests.delay("daily")
                wait_until_idle(broker)
            finally:
                worker.stop()

    windows = {d.subscription.channel + ":" + d.subscription.frequency: (d.after, d.upto)
               for d in Digest.objects.select_related("subscription")}
    assert windows == dict.fromkeys(["email:immediate", "email:daily", "webhook:immediate"], (first, last))
    assert [len(mailbox.to(IMMEDIATE)), len(mailbox.to(DAILY))] == [1, 1]
    [webhook_digest] = Digest.objects.filter(subscription=hook)
    assert receiver.webhook_ids() == [str(webhook_digest.message_id)]
    assert not Digest.objects.exclude(state="sent").exists()
    assert digest_services.digests_stale() == []
    assert all(digest_services.subscriptions_due(f) == [] for f in Subscription.Frequency.values)


def test_the_cache_stores_while_redis_is_up_and_misses_while_it_is_down(settings):
    from django.core.cache import caches

    settings.CACHES = redis_cache(redis_url())
    caches["default"].set("page", "rendered")
    assert caches["default"].get("page") == "rendered"
    caches["default"].delete("page")

    settings.CACHES = redis_cache(dead_broker_url())
    caches["default"].set("page", "rendered")  # dropped, not raised
    assert caches["default"].get("page", "miss") == "miss"
    assert caches["default"].get_many(["page"]) == {}


@pytest.mark.django_db
def test_a_confirmation_requested_while_the_broker_is_down_is_sent_from_the_request(
    redis_down, client, demo_story, mailoutbox, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/subscribe/", {
            "email": "new-reader@example.org", "stories": [demo_story.pk], "frequency": "daily",
        })
    assert response.status_code in (200, 302)
    assert [m.to for m in mailoutbox] == [["new-reader@example.org"]]
    assert Subscription.objects.get(email="new-reader@example.org").confirmed_at is None
