"""A real HTTP server on loopback that plays a cited site: serve a page, change it, 404, hang, trickle."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    hang: bool = False
    trickle: float = 0.0  # seconds between bytes: the body sent one byte at a time


class Origin:
    """`with Origin() as site: site.serve("/a", b"<html>...")`; `site.url("/a")`; `site.sent["/a"]`."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict]] = []
        self.release = threading.Event()  # set on exit: a hanging answer ends with the server
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                origin.requests.append((self.path, dict(self.headers)))
                if self.command == "POST":  # a webhook: its body is read and not kept
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = origin.answers.get(self.path.split("?", 1)[0], Answer(status=404, body=b"no"))
                if answer.hang:
                    origin.release.wait()
                    return
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.end_headers()
                # The client may stop reading at its size limit, or its time limit.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if not answer.trickle:
                        self.wfile.write(answer.body)
                        return
                    for at in range(len(answer.body)):
                        self.wfile.write(answer.body[at:at + 1])
                        self.wfile.flush()
                        if origin.release.wait(answer.trickle):  # the server is closing
                            return

            do_POST = do_GET  # noqa: N815 (the stdlib's name)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def __enter__(self) -> Origin:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes, *, status: int = 200,
              content_type: str = "text/html; charset=utf-8", headers=()) -> None:
        self.answers[path] = Answer(status=status, body=body, content_type=content_type,
                                    headers=tuple(headers))

    def hang(self, path: str) -> None:
        self.answers[path] = Answer(hang=True)

    def trickle(self, path: str, body: bytes, *, every: float = 1.0, headers=()) -> None:
        """Answer `path` at once, then send `body` one byte every `every` seconds."""
        self.answers[path] = Answer(body=body, trickle=every, headers=tuple(headers))


def article(words: str) -> bytes:
    """A news page: furniture around an article with `words` as its text."""
    return (
        "<!doctype html><html><head><title>Report</title><script>alert(1)</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Offensive in Karabakh</h1><p>{words}</p>"
        "<p>Officials in Baku and Stepanakert gave their accounts to reporters on Tuesday.</p></article>"
        "<footer>Copyright Example News</footer></body></html>"
    ).encode()


@contextlib.contextmanager
def origin_allowed(settings):
    """An Origin on loopback, with private targets allowed as only tests and demos do."""
    settings.OUTBOUND_ALLOW_PRIVATE_TARGETS = True
    with Origin() as site:
        yield site


def captured_source(site: Origin, path: str, body: bytes, **fields):
    """A source of `site`'s page at `path`, captured as at citation (current row)."""
    from archive import services
    from events.models import Source
    from tests.factories import make_source

    site.serve(path, body)
    source = make_source(url=site.url(path), **fields)
    services.source_capture(source.pk)
    return Source.objects.get(pk=source.pk)
