"""Free loopback ports for the real servers tests start (SMTP, HTTP receivers, workers)."""

from __future__ import annotations

import socket


def free_port() -> int:
    # Servers that check readiness by connecting (aiosmtpd) need a real number, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
