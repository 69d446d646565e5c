"""GRIP, the protocol Pushpin speaks with us: trust a proxied request, hold it, publish to it.

A small publisher over plain HTTP rather than gripcontrol/django-grip: the
publish API is one JSON POST, and the Celery task needs a synchronous call
with a timeout and a clear failure to retry on (pubcontrol publishes from
background threads). Grip-Sig is an HS256 JWT; checking it takes the standard
library only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import requests
from django.conf import settings

PUBLISH_TIMEOUT_SECONDS = 5


class PublishError(Exception):
    """Pushpin did not take the items (down, refused, or answered an error); `urls`: which ones."""

    def __init__(self, message: str, urls: list[str] | None = None) -> None:
        super().__init__(message)
        self.urls = urls or []


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def grip_proxied(request) -> bool:
    """Did this request come through our Pushpin? (A valid, unexpired Grip-Sig signed with our key.)"""
    token = request.headers.get("Grip-Sig", "")
    key = settings.GRIP_SIG_KEY
    if not token or not key:
        return False
    try:
        header, payload, signature = token.split(".")
        if json.loads(_b64decode(header)).get("alg") != "HS256":
            return False
        expected = hmac.new(key.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64decode(signature)):
            return False
        claims = json.loads(_b64decode(payload))
        return float(claims.get("exp", 0)) > time.time()
    except (ValueError, TypeError, AttributeError):
        return False


def parse_grip_last(request) -> dict[str, str]:
    """Pushpin's `Grip-Last: <channel>; last-id=<id>[, ...]` on a recovery request, as {channel: id}."""
    out = {}
    for part in request.headers.get("Grip-Last", "").split(","):
        channel, _, params = part.strip().partition(";")
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "last-id" and channel:
                out[channel.strip()] = value.strip().strip('"')
    return out


def hold_stream_headers(channels: dict[str, int | None], *, next_link: str, keepalive: int,
                        recover_after: int) -> dict[str, str]:
    """Hold the connection as a stream on `channels` ({name: prev-id}); Pushpin asks `next_link`
    when it sees a gap in a channel's ids, or after `recover_after` idle seconds."""
    return {
        "Grip-Hold": "stream",
        "Grip-Channel": ", ".join(
            f"{name}; prev-id={prev}" if prev else name for name, prev in channels.items()
        ),
        "Grip-Link": f"<{next_link}>; rel=next; timeout={recover_after}",
        "Grip-Keep-Alive": f":\\n\\n; format=cstring; timeout={keepalive}",
    }


def next_page_headers(next_link: str) -> dict[str, str]:
    """No hold yet: Pushpin appends the body of `next_link` (the next page of the backlog)."""
    return {"Grip-Link": f"<{next_link}>; rel=next"}


def publish_urls() -> list[str]:
    """Every Pushpin's publish endpoint: settings.GRIP_URL, one URL or several separated by commas.

    Each Pushpin holds its own readers, so every one of them gets every item.
    """
    return [url.strip() for url in settings.GRIP_URL.split(",") if url.strip()]


def publish_one(url: str, items: list[dict]) -> None:
    """POST items to the Pushpin whose publish endpoint is `url`; raise PublishError if not taken."""
    endpoint = url.rstrip("/") + "/publish/"
    try:
        response = requests.post(endpoint, json={"items": items}, timeout=PUBLISH_TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        raise PublishError(f"{endpoint}: {exc}") from exc
    if response.status_code != 200:
        raise PublishError(f"{endpoint}: HTTP {response.status_code} {response.text[:200]}")


def publish(items: list[dict], urls: list[str] | None = None) -> dict[str, PublishError]:
    """POST items to every Pushpin (or to `urls`); the ones that did not take them, with why.

    One Pushpin down never keeps the items from the others: each is tried.
    """
    failed = {}
    for url in publish_urls() if urls is None else urls:
        try:
            publish_one(url, items)
        except PublishError as exc:
            failed[url] = exc
    return failed


def stream_item(channel: str, event_id: int, prev_id: int | None, content: str) -> dict:
    item = {"channel": channel, "id": str(event_id), "formats": {"http-stream": {"content": content}}}
    if prev_id:
        item["prev-id"] = str(prev_id)
    return item
