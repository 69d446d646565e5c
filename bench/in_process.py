"""A repeated change-feed poll (its 304 and its 200) against the floor view in one process, no server.

The load measures' two sides without gunicorn and wrk: each request goes
through Django's WSGI handler and every middleware, as under load, so the
figures say what Django costs per request and nothing else. Run it on the
benchmarks' database (kept by `BENCH_KEEP_DB=1 scripts/bench.sh`) with the
same environment (docs/benchmarks.md):

    DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python -m bench.in_process [REQUESTS]
"""

from __future__ import annotations

import io
import sys
import time
import timeit

import django


def main(requests: int = 10_000, rounds: int = 3) -> None:
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from edge import watch
    from record.selectors import latest_revision_id

    handler = WSGIHandler()
    sent = {}

    def start_response(status, headers, exc_info=None):
        sent.update(status=status, headers=dict(headers))

    def get(path: str, query: str = "", **headers: str) -> str:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            **{f"HTTP_{name}": value for name, value in headers.items()},
        }
        body = handler(environ, start_response)
        b"".join(body)
        body.close()
        return sent["status"]

    deadline = time.monotonic() + 10
    while watch.watcher() is not None and watch.known() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the listener vouching, as under load
    query = f"after={max(0, latest_revision_id() - 50)}"  # the load measures' page
    assert get("/api/changes/", query).startswith("200")
    etag = sent["headers"]["ETag"]
    cases = {
        "floor": lambda: get("/bench/floor/"),
        "304": lambda: get("/api/changes/", query, IF_NONE_MATCH=etag),
        "200": lambda: get("/api/changes/", query),
    }
    print(f"listener: {watch.known()}; {requests} requests, best of 3, {rounds} rounds")
    for _ in range(rounds):
        micros = {name: min(timeit.repeat(case, number=requests, repeat=3)) / requests * 1e6
                  for name, case in cases.items()}
        ratios = "  ".join(f"ratio {name} {micros['floor'] / micros[name]:.2f}" for name in ("304", "200"))
        print("  ".join(f"{name} {value:.0f} µs" for name, value in micros.items()) + f"  {ratios}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
