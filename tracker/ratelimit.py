"""Rate limits for the two doors a stranger can knock on: the desk's login and the subscribe form.

A fixed-window counter in Django's cache (Redis in production, local memory in
development): one key per (limit, who, window), incremented atomically. The
client is `tracker.client.client_ip`: the socket address, or the address the
configured trusted proxies vouch for, never a header a client could pick its
own bucket with. When the cache is unreachable the limiter lets requests through and
logs it: a broken Redis must not lock editors out of the desk.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .client import client_ip

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `seconds` for one client in one scope."""

    scope: str
    count: int
    seconds: int

    @classmethod
    def from_settings(cls, scope: str, default: tuple[int, int]) -> Limit:
        count, seconds = getattr(settings, "RATE_LIMITS", {}).get(scope, default)
        return cls(scope, count, seconds)

    def _key(self, who: str, now: float) -> tuple[str, int]:
        window = int(now // self.seconds)
        digest = hashlib.sha256(who.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        retry_after = max(1, math.ceil((window + 1) * self.seconds - now))
        return f"ratelimit:{self.scope}:{digest}:{window}", retry_after

    def exceeded(self, who: str) -> int | None:
        """Seconds until `who` may try again, or None while under the limit."""
        key, retry_after = self._key(who, time.time())
        try:
            used = cache.get(key, 0)
        except Exception:  # noqa: BLE001 (fail open: see the module docstring)
            log.warning("rate limit %s not checked: cache unavailable", self.scope, exc_info=True)
            return None
        return retry_after if used >= self.count else None

    def hit(self, who: str) -> None:
        key, _ = self._key(who, time.time())
        try:
            if not cache.add(key, 1, self.seconds + 1):
                cache.incr(key)
        except ValueError:  # expired between add and incr: start the new window
            cache.add(key, 1, self.seconds + 1)
        except Exception:  # noqa: BLE001
            log.warning("rate limit %s not counted: cache unavailable", self.scope, exc_info=True)


def too_many(request: HttpRequest, retry_after: int, what: str) -> HttpResponse:
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(request, "429.html", {"what": what, "minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


# --- The desk's login ------------------------------------------------------------

def _login_limits() -> tuple[Limit, Limit]:
    # Per address (one machine guessing many accounts) and per username (many
    # machines guessing one account); a successful login is never counted.
    return (Limit.from_settings("login_address", (20, 15 * 60)),
            Limit.from_settings("login_username", (10, 15 * 60)))


def limit_failed_logins(login_view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap the admin login view: refuse with 429 after too many failed attempts."""

    @wraps(login_view)
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return login_view(request, *args, **kwargs)
        by_address, by_username = _login_limits()
        address = client_ip(request)
        username = request.POST.get("username", "").strip().casefold()
        for limit, who in ((by_address, address), (by_username, username)):
            if who and (retry_after := limit.exceeded(who)):
                log.warning("login refused: too many failed attempts (%s)", limit.scope)
                return too_many(request, retry_after, "failed sign-in attempts")
        response = login_view(request, *args, **kwargs)
        # The admin answers a failed login by showing the form again (200); a success redirects.
        if response.status_code == 200:
            by_address.hit(address)
            if username:
                by_username.hit(username)
        return response

    return view


# --- The public subscribe form ---------------------------------------------------

def limit_subscriptions(subscribe_view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every POST may send a confirmation mail: a few an hour per client and per email address."""

    @wraps(subscribe_view)
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return subscribe_view(request, *args, **kwargs)
        # Per address, and per email address so that no one can fill a stranger's
        # inbox with confirmation mail from many machines.
        checks = [(Limit.from_settings("subscribe_address", (10, 60 * 60)), client_ip(request))]
        if email := request.POST.get("email", "").strip().casefold():
            checks.append((Limit.from_settings("subscribe_email", (5, 60 * 60)), email))
        for limit, who in checks:
            if retry_after := limit.exceeded(who):
                log.warning("subscription refused: too many requests (%s)", limit.scope)
                return too_many(request, retry_after, "subscription requests")
        for limit, who in checks:
            limit.hit(who)
        return subscribe_view(request, *args, **kwargs)

    return view
