"""Plain HTTP requests to the test Varnish and app: status, headers and text, errors included."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: str
    content: bytes = b""  # the body's bytes (a binary body's `body` has replacement characters)

    def header(self, name: str) -> str | None:
        return {k.lower(): v for k, v in self.headers.items()}.get(name.lower())


def fetch(url: str, method: str = "GET", headers: dict | None = None, data: dict | None = None) -> Fetched:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, method=method, data=body, headers={  # noqa: S310 (loopback)
        **({"Content-Type": "application/json"} if body else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            content = response.read()
            return Fetched(response.status, dict(response.headers), content.decode(errors="replace"), content)
    except urllib.error.HTTPError as error:
        return Fetched(error.code, dict(error.headers), error.read().decode())
