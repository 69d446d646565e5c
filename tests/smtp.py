"""The one SMTP sink of the suite: a real aiosmtpd server that keeps, refuses or holds mail.

`SmtpSink` keeps each accepted message. `fail_next` refuses that many sends
with `refusal` (a temporary 451 unless a test sets, say, "550 5.1.1 ...").
A `Gate` holds the next deliveries at DATA: with `accept_first=False` the
server decides after the gate opens, and a client that went away meanwhile
gets nothing accepted ("killed before the server accepted"); with
`accept_first=True` the server has taken the message before the gate and only
its 250 reply waits ("killed after the server accepted, before the sender
recorded it").
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.ports import free_port

TRY_LATER = "451 4.3.0 Try again later (refused on purpose by the test)"


class Gate:
    """Holds the next `hold` deliveries until `release()`; `held` is set once one is waiting."""

    def __init__(self, hold: int = 0) -> None:
        self.hold = hold
        self.held = threading.Event()
        self.released = threading.Event()

    def should_hold(self) -> bool:
        if self.hold <= 0:
            return False
        self.hold -= 1
        return True

    def release(self) -> None:
        self.released.set()


class SmtpSink:
    """aiosmtpd handler: keeps, refuses (`fail_next`) or holds (`gate`) each message."""

    def __init__(self, gate: Gate | None = None, *, accept_first: bool = False) -> None:
        self.gate = gate or Gate()
        self.accept_first = accept_first
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.fail_next = 0
        self.refused = 0
        self.refusal = TRY_LATER

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.fail_next > 0:
            self.fail_next -= 1
            self.refused += 1
            return self.refusal
        message = message_from_bytes(envelope.content, policy=policy.default)
        if not self.gate.should_hold():
            self._keep(envelope, message)
            return "250 OK"
        if self.accept_first:
            self._keep(envelope, message)
        self.gate.held.set()
        while not self.gate.released.is_set():
            await asyncio.sleep(0.02)  # yields to the loop, which notices a dropped client
        if not self.accept_first:
            if server.transport is None or server.transport.is_closing():
                return "451 4.3.0 The client went away before the message was accepted"
            self._keep(envelope, message)
        return "250 OK"

    def _keep(self, envelope, message: EmailMessage) -> None:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@contextlib.contextmanager
def running_smtp(sink: SmtpSink | None = None) -> Iterator[tuple[SmtpSink, int]]:
    """Serve `sink` on a free loopback port until the block ends: (sink, port)."""
    sink = sink or SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        sink.gate.release()
        controller.stop()


def point_django_at(settings, port: int) -> None:
    """Send this process's mail to the sink on `port` through Django's SMTP backend."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
