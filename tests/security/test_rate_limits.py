"""The desk's login and the public subscribe form are rate-limited: a clear 429, then a new window."""

from __future__ import annotations

import pytest
from django.core import mail

from digests.models import Subscription
from tests.factories import make_editor

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def tight_limits(settings):
    settings.RATE_LIMITS = {
        "login_address": (5, 900), "login_username": (3, 900),
        "subscribe_address": (3, 3600), "subscribe_email": (2, 3600),
    }


def _login(client, username, password, address="203.0.113.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=address, **headers)


def test_failed_logins_for_one_username_are_refused_with_429(client, tight_limits):
    editor = make_editor("desk-user")
    for n in range(3):
        assert _login(client, editor.username, "wrong", address=f"198.51.100.{n}").status_code == 200
    refused = _login(client, editor.username, "wrong", address="198.51.100.99")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0


def test_the_right_password_is_refused_too_once_the_limit_is_reached(client, tight_limits):
    # Otherwise the limit would only slow guessing down, not stop it.
    editor = make_editor("desk-user")
    for _ in range(3):
        _login(client, editor.username, "wrong")
    assert _login(client, editor.username, "pw-for-tests-only").status_code == 429


def test_one_address_guessing_many_usernames_is_refused(client, tight_limits):
    for n in range(5):
        assert _login(client, f"someone{n}", "wrong").status_code == 200
    assert _login(client, "someone-else", "wrong").status_code == 429
    assert _login(client, "someone-else", "wrong", address="192.0.2.1").status_code == 200


def test_usernames_are_counted_case_insensitively(client, tight_limits):
    for name in ("Desk", "DESK", "desk"):
        _login(client, name, "wrong", address="192.0.2.50")
    assert _login(client, "dEsK", "wrong", address="192.0.2.51").status_code == 429


def test_successful_logins_are_not_counted(client, tight_limits):
    editor = make_editor("desk-user")
    for _ in range(6):
        response = _login(client, editor.username, "pw-for-tests-only")
        assert response.status_code == 302
        client.logout()


def test_the_login_page_itself_is_never_limited(client, tight_limits):
    for _ in range(6):
        _login(client, "x", "wrong")
    assert client.get(LOGIN).status_code == 200


def test_a_new_window_lets_the_user_try_again(client, tight_limits, monkeypatch):
    import time as clock

    editor = make_editor("desk-user")
    for _ in range(3):
        _login(client, editor.username, "wrong")
    assert _login(client, editor.username, "pw-for-tests-only").status_code == 429
    later = clock.time() + 901
    monkeypatch.setattr("tracker.ratelimit.time.time", lambda: later)
    assert _login(client, editor.username, "pw-for-tests-only").status_code == 302


def test_the_limiter_lets_editors_in_when_the_cache_is_down(client, tight_limits, monkeypatch, caplog):
    # A dead Redis must not lock the desk: the limiter fails open, and says so.
    def broken(*args, **kwargs):
        raise ConnectionError("cache is down")

    from django.core.cache import cache

    for name in ("get", "add", "incr"):
        monkeypatch.setattr(cache, name, broken)
    editor = make_editor("desk-user")
    for _ in range(4):
        _login(client, editor.username, "wrong")
    assert _login(client, editor.username, "pw-for-tests-only").status_code == 302
    assert "cache unavailable" in caplog.text


def _subscribe(client, email, address="203.0.113.7", **headers):
    return client.post("/subscribe/", {"email": email, "frequency": "daily"}, REMOTE_ADDR=address,
                       **headers)


def test_subscribe_posts_from_one_address_are_limited(client, tight_limits,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert _subscribe(client, f"reader{n}@example.org").status_code == 302
        refused = _subscribe(client, "reader9@example.org")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert len(mail.outbox) == 3
    assert Subscription.objects.count() == 3
    assert _subscribe(client, "reader9@example.org", address="192.0.2.1").status_code == 302


def test_one_inbox_cannot_be_flooded_from_many_addresses(client, tight_limits,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert _subscribe(client, "victim@example.org", address=f"198.51.100.{n}").status_code == 302
        assert _subscribe(client, "Victim@Example.org", address="198.51.100.9").status_code == 429
    assert len(mail.outbox) == 2


def test_the_subscribe_form_page_is_never_limited(client, tight_limits):
    for n in range(4):
        _subscribe(client, f"reader{n}@example.org")
    assert client.get("/subscribe/").status_code == 200


def test_default_limits_allow_an_honest_typo_or_two(client):
    editor = make_editor("desk-user")
    for _ in range(3):
        assert _login(client, editor.username, "wrong").status_code == 200
    assert _login(client, editor.username, "pw-for-tests-only").status_code == 302


def test_the_limiter_counts_in_redis_as_in_production(client, settings):
    import os

    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": "security-tests",
    }}
    settings.RATE_LIMITS = {"login_username": (2, 900)}
    from django.core.cache import cache

    cache.clear()
    try:
        for _ in range(2):
            assert _login(client, "redis-user", "wrong").status_code == 200
        assert _login(client, "redis-user", "wrong").status_code == 429
    finally:
        cache.clear()


# --- Client addresses: the socket's, or what our own proxies vouch for (tracker/client.py) ---

PROXY = "10.0.0.2"  # the TLS proxy in front of the app, as the app's socket sees it


def _request(remote: str, forwarded: str | None = None):
    from django.test import RequestFactory

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_a_spoofed_forwarded_for_does_not_change_the_address(settings):
    from tracker.client import client_ip

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_with_trusted_proxies_the_client_is_the_nth_forwarded_address_from_the_right(settings):
    from tracker.client import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "192.0.2.66" itself; our proxy appended the address it saw.
    assert client_ip(_request(PROXY, "192.0.2.66, 198.51.100.7")) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(PROXY, "192.0.2.66, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"


def test_a_forwarded_for_shorter_than_the_proxy_chain_falls_back_to_the_socket_address(settings):
    from tracker.client import client_ip

    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(PROXY, "198.51.100.7")) == PROXY
    assert client_ip(_request(PROXY)) == PROXY


def test_varying_forwarded_for_does_not_dodge_failed_login_limits_without_proxies(client, tight_limits):
    for n in range(5):
        _login(client, f"someone{n}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _login(client, "x", "wrong", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_varying_forwarded_for_does_not_dodge_the_api_anonymous_throttle(client, monkeypatch, settings):
    from rest_framework.throttling import AnonRateThrottle

    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/stories/", REMOTE_ADDR="203.0.113.7",
                           HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_with_one_trusted_proxy_the_api_throttles_two_clients_behind_it_separately(
        client, monkeypatch, settings):
    from rest_framework.throttling import AnonRateThrottle

    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})

    def read(address):
        return client.get("/api/stories/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).status_code

    assert [read("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert read("198.51.100.2") == 200


def test_with_one_trusted_proxy_two_clients_behind_it_are_limited_separately_at_login(
        client, tight_limits, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        _login(client, f"someone{n}", "wrong", address=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert _login(client, "x", "wrong", address=PROXY,
                  HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # One guesser behind the proxy does not lock the desk for everyone else behind it.
    assert _login(client, "y", "wrong", address=PROXY,
                  HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_with_one_trusted_proxy_two_clients_behind_it_are_limited_separately_at_subscribe(
        client, tight_limits, settings, django_capture_on_commit_callbacks):
    settings.TRUSTED_PROXY_COUNT = 1
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert _subscribe(client, f"reader{n}@example.org", address=PROXY,
                              HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
        assert _subscribe(client, "reader8@example.org", address=PROXY,
                          HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
        assert _subscribe(client, "reader9@example.org", address=PROXY,
                          HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
