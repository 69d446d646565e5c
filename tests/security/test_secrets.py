"""Secrets are shown once, where they are issued, and never again: not in later responses, not in logs.

Every logger is captured at DEBUG while webhook subscriptions are created,
delivered to, pinged, redelivered and rotated, while email subscribers
confirm and unsubscribe through their signed links, and while tokens are
used; then the captured text and every later response are scanned.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from digests.models import Subscription
from tests.digests.webhook_support import make_digest
from tests.factories import make_editor, make_story, make_user

pytest_plugins = ["tests.digests.webhook_receiver"]  # the `receiver` fixture

pytestmark = pytest.mark.django_db


def _forms_of(secret: str) -> list[str]:
    """The secret and the part a leak would most likely show (its base64 key)."""
    return [secret, secret.removeprefix("whsec_")]


def assert_absent(secrets: list[str], *texts: str) -> None:
    for secret in secrets:
        for form in _forms_of(secret):
            for text in texts:
                assert form not in text, f"secret {form[:12]}… leaked"


@pytest.fixture
def debug_logs(caplog):
    caplog.set_level(logging.DEBUG)  # the root logger, so every library's debug output too
    for name in list(logging.root.manager.loggerDict):
        logging.getLogger(name).setLevel(logging.NOTSET)
    return caplog


def test_webhook_secrets_never_appear_after_creation(receiver, debug_logs):
    owner = make_user()
    token = Token.objects.create(user=owner)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    created = api.post("/api/subscriptions/", {"channel": "webhook", "url": receiver.url,
                                               "frequency": "immediate"}, format="json")
    assert created.status_code == 201
    first = created.json()["secret"]
    pk = created.json()["id"]
    digest = make_digest(Subscription.objects.get(pk=pk))
    later = [
        api.get("/api/subscriptions/"), api.get(f"/api/subscriptions/{pk}/"),
        api.post(f"/api/subscriptions/{pk}/test/"),
        api.post(f"/api/subscriptions/{pk}/redeliver/", {"digest": digest.pk}, format="json"),
        api.get(f"/api/subscriptions/{pk}/deliveries/"),
    ]
    rotated = api.post(f"/api/subscriptions/{pk}/rotate-secret/")
    second = rotated.json()["secret"]
    assert second != first
    later += [api.post(f"/api/subscriptions/{pk}/test/"), api.get(f"/api/subscriptions/{pk}/"),
              api.post(f"/api/subscriptions/{pk}/pause/"), api.post(f"/api/subscriptions/{pk}/resume/"),
              api.get(f"/api/subscriptions/{pk}/deliveries/"), api.delete(f"/api/subscriptions/{pk}/")]
    assert receiver.count() >= 3  # deliveries really happened while we were listening
    bodies = [response.content.decode() for response in later]
    headers = [str(dict(response.items())) for response in later]
    assert "webhook" in debug_logs.text  # the delivery log was captured, and scanned
    assert_absent([first, second, token.key], debug_logs.text, *bodies, *headers)
    assert_absent([first, second], *(str(r.headers) for r in receiver.requests))  # signatures only


def test_the_desk_never_shows_a_webhook_secret(client, receiver):
    from tests.digests.webhook_support import make_webhook_subscription

    subscription, secret = make_webhook_subscription(receiver.url)
    superuser = make_user(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    pages = [client.get("/admin/digests/subscription/"),
             client.get(f"/admin/digests/subscription/{subscription.pk}/change/"),
             client.get(f"/admin/digests/subscription/{subscription.pk}/preview/")]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert_absent([secret], *(page.content.decode() for page in pages))


def test_signed_links_and_tokens_stay_out_of_logs(client, debug_logs, django_capture_on_commit_callbacks):
    story = make_story()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/subscribe/", {"email": "reader@example.org", "stories": [story.pk],
                                    "frequency": "daily"})
    [confirmation] = mail.outbox
    [link] = re.findall(r"https?://\S+/subscribe/confirm/(\S+?)/", confirmation.body)
    assert client.get(f"/subscribe/confirm/{link}/").status_code == 200
    assert client.post(f"/subscribe/confirm/{link}/").status_code == 200
    subscription = Subscription.objects.get(email="reader@example.org")
    from digests.email import unsubscribe_url

    unsubscribe = unsubscribe_url(subscription).rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/unsubscribe/{unsubscribe}/").status_code == 200
    editor = make_editor()
    token = Token.objects.create(user=editor)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api.post("/api/developments/", {"story": story.slug}, format="json")  # a 400, logged
    api.get("/api/developments/999999/")  # a 404, logged
    assert "Not Found: /api/developments/999999/" in debug_logs.text  # request logs were captured
    assert_absent([link, unsubscribe, token.key], debug_logs.text)


def test_a_wrong_token_is_not_echoed_back(client, db):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = api.post("/api/developments/", {}, format="json")
    assert response.status_code == 401
    assert "0123456789abcdef" not in response.content.decode()
