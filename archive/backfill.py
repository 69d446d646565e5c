"""Backfills: capture many cited sources, fetching in a bounded pool and noting them in batched revisions.

Each source is captured as at citation (the guarded GET, its WARC through
the storage API, a Capture row, its time and hash in the source's next
version), but the fetches and WARC files run in a few worker threads (no
database there), and the rows and versions of up to
`ARCHIVE_BACKFILL_BATCH` captures are written in one short transaction on
the caller's thread: one capture revision notes them all, with one line of
its message per source. That revision is one leaf of the public log like
any other, holding every source's new version.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction

from events.models import Source

from . import services
from .models import Capture

log = logging.getLogger(__name__)


def capture_sources(source_ids: Iterable[int], *, workers: int | None = None,
                    batch: int | None = None) -> Iterator[tuple[int, Capture | None]]:
    """Capture each source not archived yet; yields (source id, its Capture or None) as batches commit.

    None, as for services.source_capture, when there is nothing to capture
    (no such source, no URL, or archived already), or when the fetch broke
    in a way the guard does not report (logged; the watcher retries).
    """
    ids = list(source_ids)
    found = Source.objects.in_bulk(ids)
    due = [found[pk] for pk in ids if pk in found and found[pk].url and not found[pk].archived_at]
    skipped = [pk for pk in ids if pk not in found or not found[pk].url or found[pk].archived_at]
    for pk in skipped:
        yield pk, None
    size = batch or settings.ARCHIVE_BACKFILL_BATCH
    pending: list[Capture] = []
    with ThreadPoolExecutor(max_workers=workers or settings.ARCHIVE_BACKFILL_WORKERS,
                            thread_name_prefix="capture") as pool:
        # map() keeps the sources' order and runs ahead of the writes below; what
        # it holds meanwhile is unsaved rows, the bodies are gone once stored.
        for source, capture in zip(due, pool.map(_fetched, due), strict=True):
            if capture is None:
                yield source.pk, None
                continue
            pending.append(capture)
            if len(pending) >= size:
                yield from _written(pending)
                pending = []
    yield from _written(pending)


def _fetched(source: Source) -> Capture | None:
    try:
        return services.source_fetch(source)
    except Exception:  # one broken source must not stop the backfill
        log.exception("archive: capturing source %s failed", source.pk)
        return None


def _written(captures: list[Capture]) -> Iterator[tuple[int, Capture]]:
    if not captures:
        return
    with transaction.atomic():
        Capture.objects.bulk_create(captures)
        services.sources_note([services.citation_note(capture.source, capture) for capture in captures
                                  if capture.outcome == Capture.Outcome.CAPTURED])
    for capture in captures:
        yield capture.source_id, capture
