"""capture_throughput: capturing cited sources (fetch, WARC, storage, capture revision) vs a plain download.

500 captures (BENCH_CAPTURES; fewer at the small sizes) of a 200 KB article
page served by `python -m http.server` in its own process, as a backfill
captures them (`archive.backfill.capture_sources`, what `manage.py
capture_sources` runs: the guarded GETs in ARCHIVE_BACKFILL_WORKERS threads,
the gzip'd WARCs written through the storage API, the Capture rows and one
capture revision per ARCHIVE_BACKFILL_BATCH sources, each source its own
version), timed in runs of 50 sources against the ceiling: 50 `requests.get`
of the same page one after the other, writing the bytes to a file. Timed
interleaved; the ratio is captures/s over downloads/s. Beside it (details):
the same backfill fetching one source at a time, and a capture at citation
(`archive.services.source_capture`, the Celery task: one capture, its own
revision).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import socket
import subprocess  # noqa: S404 (runs the stdlib's http.server, fixed arguments)
import sys
import tempfile
import time
from pathlib import Path

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.test.utils import override_settings
from django.utils import timezone

from archive import backfill as archive_backfill
from archive import services as archive_services
from archive import warc
from archive.models import archive_storage
from events import services as event_services

from .measure import Result, Side, count_queries, interleaved
from .setup import Bench

TITLE = "Capture at citation (fetch + WARC + storage + revision) vs requests.get to disk: captures/s"
PAGE_BYTES = 200 * 1024


def article_page(size: int = PAGE_BYTES) -> bytes:
    """An article page of about `size` bytes: furniture and many distinct paragraphs."""
    head = (b"<!doctype html><html><head><meta charset='utf-8'><title>Report</title></head><body>"
            b"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Offensive</h1>")
    parts, n = [head], 0
    while sum(map(len, parts)) < size - 200:
        parts.append(f"<p>Paragraph {n}: officials in Baku and Stepanakert gave differing accounts "
                     f"of the shelling near village {n % 97}; {n * 7 % 1000} people were said to "
                     f"have left their homes.</p>".encode())
        n += 1
    parts.append(b"</article><footer>Example News</footer></body></html>")
    return b"".join(parts)


@contextlib.contextmanager
def page_server(directory: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/page.html", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/page.html"
    finally:
        server.terminate()
        server.wait(timeout=10)


def capture_throughput(bench: Bench) -> Result:
    count = int(os.environ.get("BENCH_CAPTURES", {"full": 500}.get(_size_name(bench), 20)))
    # Timed in groups: one backfill of `group` sources vs as many downloads, one after the other.
    group = max(1, min(50, count // 10))
    singles = max(3, count // 10)
    serial_groups = max(1, count // group // 5)
    with tempfile.TemporaryDirectory() as tmp, override_settings(
        OUTBOUND_ALLOW_PRIVATE_TARGETS=True, ARCHIVE_CAPTURE_ON_CITE=False,
        STORAGES={**_storages(), "archive": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                             "OPTIONS": {"location": f"{tmp}/archive"}}},
    ):
        root = Path(tmp)
        (root / "page.html").write_bytes(article_page())
        with page_server(root) as url:
            # Sources to capture, made beforehand: their own revisions are not what is timed.
            sources = iter([event_services.source_create(
                author=bench.author, message="Bench source", outlet="Bench", title=f"Page {n}",
                url=f"{url}?n={n}").pk for n in range(count + singles + (serial_groups + 1) * group + 1)])
            downloads = itertools.count()

            def backfill() -> None:
                ids = list(itertools.islice(sources, group))
                captured = [capture for _, capture in archive_backfill.capture_sources(ids)]
                if len(captured) != group or any(c is None or c.outcome != "captured" for c in captured):
                    raise RuntimeError(f"capture failed: {[c and (c.outcome, c.error) for c in captured]}")

            def capture() -> None:
                captured = archive_services.source_capture(next(sources))
                if captured is None or captured.outcome != "captured":
                    raise RuntimeError(f"capture failed: {captured and captured.error}")

            def download() -> None:
                response = requests.get(url, timeout=30)
                response.raise_for_status()
                (root / f"download-{next(downloads) % 8}.html").write_bytes(response.content)

            def downloads_of_a_group() -> None:
                for _ in range(group):
                    download()

            def evidence_only() -> None:
                # Diagnostic: the guarded GET, the WARC and the file, without the row and revision.
                fetched = archive_services.fetch(url)
                stored = warc.warc_bytes(fetched, captured_at=timezone.now())
                archive_storage().save(f"bench/{next(downloads)}.warc.gz", ContentFile(stored))

            group_queries = count_queries(backfill)
            group_ms, floor_group_ms = interleaved(backfill, downloads_of_a_group,
                                                   repeat=count // group - 2, warmup=1)
            with override_settings(ARCHIVE_BACKFILL_WORKERS=1):  # diagnostic: fetched one at a time
                serial_ms, serial_floor_ms = interleaved(backfill, downloads_of_a_group,
                                                         repeat=serial_groups, warmup=1)
            single_queries = count_queries(capture)
            single_ms, single_floor_ms = interleaved(capture, download, repeat=singles - 2, warmup=1)
            evidence_ms, _ = interleaved(evidence_only, download, repeat=max(3, count // 5), warmup=1)
    case_ms, floor_ms = group_ms / group, floor_group_ms / group
    return Result(
        name="capture_throughput", title=TITLE, target=0.5, at_least=True,
        ratio=floor_ms / case_ms if case_ms else None,
        case=Side(f"archive.backfill.capture_sources, per capture (200 KB page, {group} a run)",
                  round(case_ms, 3), math.ceil(group_queries / group)),
        floor=Side("requests.get + write to disk, one after the other", round(floor_ms, 3), 0),
        details={"captures": count, "group": group, "page_bytes": PAGE_BYTES,
                 "workers": settings.ARCHIVE_BACKFILL_WORKERS, "batch": settings.ARCHIVE_BACKFILL_BATCH,
                 "queries_per_group": group_queries,
                 "captures_per_s": round(1000 / case_ms, 1), "downloads_per_s": round(1000 / floor_ms, 1),
                 # The same backfill fetching one source at a time (batched revisions only).
                 "serial_backfill_ratio": round(serial_floor_ms / serial_ms, 3) if serial_ms else None,
                 # At citation (the Celery task): one capture, its own revision.
                 "single_capture_ms": round(single_ms, 3), "single_capture_queries": single_queries,
                 "single_capture_ratio": round(single_floor_ms / single_ms, 3) if single_ms else None,
                 "fetch_warc_file_ms": round(evidence_ms, 3),
                 "fetch_warc_file_ratio": round(floor_ms / evidence_ms, 3) if evidence_ms else None},
    )


def _size_name(bench: Bench) -> str:
    from .setup import SIZES

    return next((name for name, size in SIZES.items() if size == bench.size), "full")


def _storages() -> dict:
    return dict(settings.STORAGES)


MEASURES = [capture_throughput]
