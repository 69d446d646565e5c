"""A real HTTP receiver for webhook tests, and a factory for webhook subscriptions.

`Receiver` is an http.server on 127.0.0.1 (a free port) in a thread. It keeps
every request (headers, body) and answers from a script: `receiver.answers`
is a list of status codes used in order, then `receiver.default`. The
`receiver` fixture is in tests/digests/webhook_receiver.py (a pytest plugin:
`pytest_plugins = ["tests.digests.webhook_receiver"]`).
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self, tls_context=None) -> None:
        self.requests: list[Received] = []
        self.answers: list[int] = []
        self.default = 200
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append(Received(
                        self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    status = receiver.answers.pop(0) if receiver.answers else receiver.default
                receiver.before_answering()
                with contextlib.suppress(OSError):  # the sender may be gone (a killed worker)
                    self.send_response(status)
                    if 300 <= status < 400:
                        self.send_header("Location", receiver.url + "moved")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")

            do_PURGE = do_POST  # noqa: N815 (an edge purge: tests/edge)

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/"
        if tls_context is not None:  # HTTPS with the certificate in this ssl.SSLContext
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def before_answering(self) -> None:
        """Called once a request is recorded, before it is answered: a subclass may hold it."""

    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def webhook_ids(self) -> list[str]:
        with self._lock:
            return [request.headers["webhook-id"] for request in self.requests]


# Django models are imported inside the factories, so the receiver plugin can
# import this module before Django is set up.

def make_webhook_subscription(url: str, owner=None, **fields):
    from digests import services
    from digests.models import Subscription
    from tests.factories import make_user

    fields = {"stories": [], "kinds": [], "frequency": Subscription.Frequency.IMMEDIATE, **fields}
    return services.webhook_subscription_create(owner=owner or make_user(), url=url, **fields)


def make_digest(subscription, *, upto: int = 1):
    from digests.models import Digest

    content = {"version": 1, "after": upto - 1, "upto": upto, "stories": []}
    return Digest.objects.create(subscription=subscription, after=upto - 1, upto=upto, content=content)
