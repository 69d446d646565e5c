"""Signing follows Standard Webhooks: the `standardwebhooks` library verifies what we sign."""

import base64
import time

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from digests import signing


def test_a_new_secret_is_whsec_and_32_random_bytes():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert signing.new_secret() != secret


def test_the_standardwebhooks_library_verifies_our_signature():
    secret, body = signing.new_secret(), '{"type":"ping","text":"Ağdam"}'.encode()
    headers = signing.signed_headers(secret=secret, message_id="msg_1", timestamp=int(time.time()), body=body)
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == {"type": "ping", "text": "Ağdam"}


def test_a_changed_body_fails_verification():
    secret = signing.new_secret()
    headers = signing.signed_headers(
        secret=secret, message_id="msg_1", timestamp=int(time.time()), body=b"{}"
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a":1}', headers)


def test_another_secret_fails_verification():
    headers = signing.signed_headers(
        secret=signing.new_secret(), message_id="msg_1", timestamp=int(time.time()), body=b"{}"
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(b"{}", headers)


def test_a_secret_without_the_prefix_is_refused():
    with pytest.raises(ValueError, match="whsec_"):
        signing.sign(secret="abc", message_id="m", timestamp=1, body=b"")
