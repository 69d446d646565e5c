"""A Server-Sent Events reader over a plain socket (HTTP/1.0: no chunking), read in a thread.

`SSEReader(url, last_event_id=...)` connects, parses events (`id`, `event`,
`data`) and comments into queues; `next_event(timeout)` waits for one event
with a deadline. Nothing sleeps for a fixed time.
"""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Event:
    id: str | None
    event: str
    data: str

    @property
    def json(self) -> dict:
        return json.loads(self.data)


class SSEReader:
    def __init__(self, url: str, *, last_event_id: str | None = None, headers: dict | None = None) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        self.sock.settimeout(0.2)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"GET {path} HTTP/1.0", f"Host: {parts.netloc}", "Accept: text/event-stream"]
        if last_event_id is not None:
            lines.append(f"Last-Event-ID: {last_event_id}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.events: queue.Queue[Event] = queue.Queue()
        self.comments: queue.Queue[str] = queue.Queue()
        self.status: int | None = None
        self.retry: int | None = None  # the server's reconnect hint (ms)
        self.last_event_id: str | None = None  # what EventSource would send on reconnecting
        self.headers: dict[str, str] = {}
        self.head_received = threading.Event()
        self.closed = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        buffer = b""
        try:
            while not self._stop.is_set():
                try:
                    chunk = self.sock.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                buffer += chunk
                if self.status is None:
                    if b"\r\n\r\n" not in buffer:
                        continue
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    status_line, *header_lines = head.decode("latin-1").split("\r\n")
                    self.status = int(status_line.split()[1])
                    self.headers = {k.strip().lower(): v.strip() for k, v in
                                    (line.split(":", 1) for line in header_lines if ":" in line)}
                    self.head_received.set()
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._parse(block.decode())
        finally:
            self.head_received.set()
            self.closed.set()

    def _parse(self, block: str) -> None:
        fields: dict[str, list[str]] = {}
        for line in block.split("\n"):
            if line.startswith(":"):
                self.comments.put(line[1:].strip())
                continue
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value[1:] if value.startswith(" ") else value)
        if "retry" in fields:
            self.retry = int(fields["retry"][-1])
        if "id" in fields:  # an `id:` sets the cursor even in a block without data
            self.last_event_id = fields["id"][-1]
        if "data" in fields:
            self.events.put(Event((fields.get("id") or [None])[-1], (fields.get("event") or ["message"])[-1],
                                  "\n".join(fields["data"])))

    def next_event(self, timeout: float = 30.0) -> Event:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout}s") from None

    def ids(self, count: int, timeout: float = 30.0) -> list[int]:
        return [int(self.next_event(timeout).id) for _ in range(count)]

    def no_event_within(self, seconds: float) -> bool:
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SSEReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
