"""/api/subscriptions/: a user's own subscriptions, webhook management, delivery log, redeliver."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from digests import services, webhooks
from digests.models import Digest, Subscription
from tests.digests.helpers import make_subscription
from tests.digests.webhook_support import make_digest, make_webhook_subscription
from tests.factories import make_story, make_user

pytest_plugins = ["tests.digests.webhook_receiver"]  # the `receiver` fixture

pytestmark = pytest.mark.django_db

URL = "/api/subscriptions/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def owner():
    return make_user()


@pytest.fixture
def api(owner):
    return client_for(owner)


@pytest.fixture
def outsider_api():
    return client_for(make_user())


def create(api, url, **fields):
    return api.post(URL, {"channel": "webhook", "url": url, **fields}, format="json")


def test_it_needs_a_token():
    assert APIClient().get(URL).status_code == 401


def test_creating_a_webhook_subscription_shows_the_secret_once(api, receiver):
    story = make_story()
    response = create(api, receiver.url, stories=[story.slug], kinds=["ceasefire"], frequency="immediate")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert (body["stories"], body["kinds"], body["frequency"], body["status"]) == (
        [story.slug], ["ceasefire"], "immediate", "active")
    assert "secret" not in api.get(f"{URL}{body['id']}/").json()
    assert body["secret"] not in api.get(URL).content.decode()


def test_a_new_subscription_starts_at_the_latest_revision(api, receiver):
    make_story()
    from record.selectors import latest_revision_id

    body = create(api, receiver.url).json()
    assert Subscription.objects.get(pk=body["id"]).cursor == latest_revision_id() > 0


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://example.org/hook", "http"),
    ("http://127.0.0.1:8000/hook", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://10.0.0.8/hook", "private"),
    ("https://user:secret@example.org/", "Credentials"),
])
def test_an_obviously_bad_url_is_a_400_on_the_url_field(api, settings, url, message):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = create(api, url)
    assert response.status_code == 400
    assert message in response.json()["url"][0]
    assert not Subscription.objects.exists()


def test_the_metadata_address_is_refused_even_where_private_targets_are_allowed(api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    assert create(api, "http://169.254.169.254/").status_code == 400


def test_unknown_stories_and_kinds_are_field_errors(api, receiver):
    response = create(api, receiver.url, stories=["no-such-story"], kinds=["picnic"])
    assert response.status_code == 400
    assert set(response.json()) == {"stories", "kinds"}


def test_email_subscriptions_are_not_created_here(api, receiver):
    response = api.post(URL, {"channel": "email", "url": receiver.url}, format="json")
    assert response.status_code == 400
    assert "/subscribe/" in response.json()["channel"][0]


def test_the_list_holds_only_your_own_subscriptions_email_included(api, owner, receiver):
    mine, _ = make_webhook_subscription(receiver.url, owner=owner)
    my_email = make_subscription(owner=owner)
    make_webhook_subscription(receiver.url)  # someone else's
    ids = [row["id"] for row in api.get(URL).json()["results"]]
    assert ids == [mine.id, my_email.id]


def test_another_users_subscription_is_a_404_for_every_verb(outsider_api, owner, receiver):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    digest = make_digest(subscription)
    base = f"{URL}{subscription.id}/"
    assert outsider_api.get(base).status_code == 404
    assert outsider_api.get(f"{base}deliveries/").status_code == 404
    for path in ("pause/", "resume/", "rotate-secret/", "test/",
                 f"deliveries/{digest.id}/redeliver/"):
        assert outsider_api.post(base + path).status_code == 404, path
    assert outsider_api.post(f"{base}redeliver/", {"digest": digest.id}, format="json").status_code == 404
    assert outsider_api.delete(base).status_code == 404
    subscription.refresh_from_db()
    assert subscription.active and subscription.deleted_at is None
    assert receiver.count() == 0


def test_rotating_the_secret_signs_later_deliveries_with_the_new_one(api, owner, receiver):
    subscription, old = make_webhook_subscription(receiver.url, owner=owner)
    new = api.post(f"{URL}{subscription.id}/rotate-secret/").json()["secret"]
    assert new.startswith("whsec_") and new != old
    api.post(f"{URL}{subscription.id}/test/")
    received = receiver.requests[0]
    assert Webhook(new).verify(received.body, received.headers)["type"] == "ping"


def test_pause_and_resume(api, owner, receiver):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    assert api.post(f"{URL}{subscription.id}/pause/").json()["status"] == "paused"
    assert api.post(f"{URL}{subscription.id}/resume/").json()["status"] == "active"


def test_resume_clears_an_automatic_disable(api, owner, receiver):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    services.subscription_disable(subscription, reason="The receiver answered 410 Gone.")
    shown = api.get(f"{URL}{subscription.id}/").json()
    assert (shown["status"], shown["disabled_reason"]) == ("disabled", "The receiver answered 410 Gone.")
    body = api.post(f"{URL}{subscription.id}/resume/").json()
    assert (body["status"], body["disabled_reason"], body["consecutive_failures"]) == ("active", "", 0)


def test_delete_stops_deliveries_and_keeps_the_history(api, owner, receiver):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    webhooks.deliver_digest(make_digest(subscription))
    assert api.delete(f"{URL}{subscription.id}/").status_code == 204
    assert api.get(f"{URL}{subscription.id}/").status_code == 404
    subscription.refresh_from_db()
    assert not subscription.active and subscription.deleted_at is not None
    assert subscription.digests.get().attempts.count() == 1


def test_email_subscriptions_cannot_be_changed_here(api, owner):
    subscription = make_subscription(owner=owner)
    response = api.post(f"{URL}{subscription.id}/pause/")
    assert response.status_code == 400 and "email" in response.json()["channel"][0].lower()


def test_the_test_endpoint_reports_the_receivers_answer(api, owner, receiver):
    receiver.answers = [503]
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    body = api.post(f"{URL}{subscription.id}/test/").json()
    assert (body["succeeded"], body["status_code"]) == (False, 503)
    assert receiver.requests[0].json["type"] == "ping"


def test_deliveries_list_each_attempt_newest_first(api, owner, receiver):
    receiver.answers = [500]
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    webhooks.digest_redeliver(subscription=subscription, digest_id=digest.id)
    rows = api.get(f"{URL}{subscription.id}/deliveries/").json()["results"]
    assert [(r["status_code"], r["succeeded"], r["digest"]) for r in rows] == [
        (200, True, digest.id), (500, False, digest.id)]
    assert rows[1]["error"].startswith("HTTP 500") and rows[1]["next_retry_at"]
    assert rows[0]["webhook_id"] == str(digest.message_id)
    assert {"attempted_at", "latency_ms"} <= set(rows[0])


@pytest.mark.parametrize("style", ["path", "body"])
def test_redeliver_sends_the_digest_again_with_the_same_webhook_id(api, owner, receiver, style):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    if style == "path":
        response = api.post(f"{URL}{subscription.id}/deliveries/{digest.id}/redeliver/")
    else:
        response = api.post(f"{URL}{subscription.id}/redeliver/", {"digest": digest.id}, format="json")
    assert response.status_code == 200 and response.json()["succeeded"]
    assert [r.headers["webhook-id"] for r in receiver.requests] == [str(digest.message_id)] * 2


def test_redelivering_another_subscriptions_digest_is_a_404(api, owner, receiver):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    others = make_digest(make_webhook_subscription(receiver.url)[0])
    assert api.post(f"{URL}{subscription.id}/deliveries/{others.id}/redeliver/").status_code == 404
    assert api.post(f"{URL}{subscription.id}/redeliver/", {"digest": others.id},
                    format="json").status_code == 404
    assert receiver.count() == 0


def test_redeliver_without_a_digest_is_a_400(api, owner, receiver):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    assert api.post(f"{URL}{subscription.id}/redeliver/", {}, format="json").status_code == 400


def test_the_secret_never_reaches_the_logs(api, receiver, caplog):
    caplog.set_level("DEBUG")
    secret = create(api, receiver.url).json()["secret"]
    subscription = Subscription.objects.get()
    webhooks.deliver_digest(make_digest(subscription))
    assert secret not in caplog.text


def test_a_failed_delivery_keeps_the_digest_for_redelivery(api, owner, receiver):
    receiver.default = 410
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    digest = make_digest(subscription)
    webhooks.deliver_digest(digest)
    receiver.default = 200
    api.post(f"{URL}{subscription.id}/deliveries/{digest.id}/redeliver/")
    digest.refresh_from_db()
    assert digest.state == Digest.State.SENT




def test_pings_and_redeliveries_are_rate_limited_per_user(api, owner, receiver, monkeypatch):
    from api.subscriptions import OutboundRequestThrottle

    monkeypatch.setattr(OutboundRequestThrottle, "rate", "2/minute")
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    digest = make_digest(subscription)
    assert api.post(f"{URL}{subscription.id}/test/").status_code == 200
    assert api.post(f"{URL}{subscription.id}/deliveries/{digest.id}/redeliver/").status_code == 200
    assert api.post(f"{URL}{subscription.id}/test/").status_code == 429
    assert api.get(f"{URL}{subscription.id}/deliveries/").status_code == 200  # reads are not limited
    assert receiver.count() == 2


def test_the_list_takes_a_constant_number_of_queries(api, owner, receiver, django_assert_max_num_queries):
    story = make_story()
    for _ in range(2):
        make_webhook_subscription(receiver.url, owner=owner, stories=[story])
    with django_assert_max_num_queries(4):  # token+user, count, subscriptions, their stories
        api.get(URL)
    for _ in range(5):
        make_webhook_subscription(receiver.url, owner=owner, stories=[story])
    with django_assert_max_num_queries(4):
        assert len(api.get(URL).json()["results"]) == 7


def test_the_delivery_log_takes_a_constant_number_of_queries(api, owner, receiver,
                                                             django_assert_max_num_queries):
    subscription, _ = make_webhook_subscription(receiver.url, owner=owner)
    for upto in range(1, 6):
        webhooks.deliver_digest(make_digest(subscription, upto=upto))
    with django_assert_max_num_queries(4):  # token+user, subscription, count, attempts with digests
        assert len(api.get(f"{URL}{subscription.id}/deliveries/").json()["results"]) == 5
