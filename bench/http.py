"""In-process HTTP fetches for the page measures: each request builds its page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")


def uncached_get(url: str) -> Callable[[], None]:
    def fetch() -> None:
        # Pages are cached per revision: clear it so each request builds the page
        # (what depth could slow down). The cached path is measured under load.
        cache.clear()
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return fetch
