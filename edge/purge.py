"""Purge by surrogate key: one HTTP PURGE with an `xkey` header to each configured Varnish."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable

from django.conf import settings

from .headers import REVISION_HEADER
from .keys import header_value

log = logging.getLogger(__name__)


def purge_one(url: str, keys: Iterable[str], revision: int | None = None) -> None:
    """PURGE `keys` at the Varnish listening at `url`; raises OSError when it is not reached.

    `revision`, the one committed, tells the edge not to store a page rendered
    from an older state that reaches it after this purge (edge/headers.py).
    """
    headers = {"xkey": header_value(keys), **({REVISION_HEADER: str(revision)} if revision else {})}
    request = urllib.request.Request(url, method="PURGE", headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=settings.EDGE_PURGE_TIMEOUT_SECONDS) as response:  # noqa: S310
        response.read()


def purge(keys: list[str], urls: Iterable[str] | None = None, revision: int | None = None) -> list[str]:
    """PURGE `keys` at every edge; the URLs that failed (to retry), in order."""
    failed = []
    for url in settings.EDGE_PURGE_URLS if urls is None else urls:
        try:
            purge_one(url, keys, revision)
        except (OSError, urllib.error.HTTPError) as exc:
            log.warning("Edge purge of %s at %s failed: %s", keys, url, exc)
            failed.append(url)
    return failed
