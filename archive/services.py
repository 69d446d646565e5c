"""Writes of the archive: capture a source at citation, check it when due, note the outcome on the source.

A fetch never runs inside a transaction; its Capture row and, when the
source's archive state moves (captured, changed, gone, back), a revision of
kind *capture* by the archive's system user are written after it in one
short transaction. The revision carries the capture's time and SHA-256 into
the source's next version, so the public log covers the evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from events.models import Source
from record.bulk import update_versions
from record.diff import word_diff
from record.errors import StaleVersionError
from record.models import Revision
from record.versioning import revision
from tracker import outbound

from . import selectors, text, warc
from .models import Capture

log = logging.getLogger(__name__)

SYSTEM_USERNAME = "archive"
USER_AGENT = "tracker-archive/1 (+capture of a cited source)"
MAX_REDIRECTS = 5
MISSING_STATUSES = {404, 410}


def system_user():
    """The author of capture revisions: an account no one logs in as."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def fetch(url: str) -> outbound.Fetched:
    """A GET of a source's URL through the one outbound guard (redirects checked hop by hop)."""
    return outbound.request("GET", url, max_redirects=MAX_REDIRECTS, user_agent=USER_AGENT,
                            headers={"Accept": "*/*"})


def _content(fetched: outbound.Fetched) -> tuple[str, str]:
    content_type = fetched.header("Content-Type")
    body = text.decoded(fetched.body, fetched.header("Content-Encoding"))
    return content_type, text.main_text(body, content_type)


def _is_missing(fetched: outbound.Fetched) -> bool:
    return fetched.host_not_found or fetched.status_code in MISSING_STATUSES


def _failure(fetched: outbound.Fetched) -> str:
    if fetched.error:
        return fetched.error
    return f"HTTP {fetched.status_code} {fetched.reason}".strip()


def _capture(source: Source, fetched: outbound.Fetched, *, reason: str, outcome: str,
             at: dt.datetime, main: str = "", **extra) -> Capture:
    """The row of one fetch, unsaved (a backfill writes many at once)."""
    # `main` (the page's main text) is given by checks, which extract it anyway to
    # compare; a capture at citation leaves it to the first check (selectors.capture_text),
    # so citing a source costs no extraction.
    content_type = fetched.header("Content-Type") if fetched.status_code else ""
    sha256 = hashlib.sha256(fetched.body).hexdigest() if fetched.status_code else ""
    return Capture(
        source=source, reason=reason, outcome=outcome, requested_url=source.url,
        final_url=fetched.url if fetched.status_code else "", status_code=fetched.status_code,
        content_type=content_type[:200], sha256=sha256, size=len(fetched.body),
        truncated=fetched.truncated, captured_at=at, text=main, **extra,
    )


def warc_store(capture: Capture, fetched: outbound.Fetched) -> None:
    """Store the capture's WARC file through the storage API (no database: safe in a worker thread)."""
    name = warc.warc_name(capture.source_id, capture.captured_at, capture.sha256)
    stored = warc.warc_bytes(fetched, captured_at=capture.captured_at)
    capture.warc.save(name, ContentFile(stored), save=False)


def _capture_row(source: Source, fetched: outbound.Fetched, *, reason: str, outcome: str,
                 at: dt.datetime, keep: bool, main: str = "", **extra) -> Capture:
    capture = _capture(source, fetched, reason=reason, outcome=outcome, at=at, main=main, **extra)
    if keep:
        # Stored before the row: a row never names a file that is not there.
        warc_store(capture, fetched)
    capture.save()
    return capture


@dataclass(frozen=True)
class Note:
    """What a capture revision writes into one source: `changes`, if its URL is still `url`."""

    source: Source  # as read before the fetch: a stale read only costs a second read
    url: str
    changes: dict
    said: str  # the revision message's words on it

    def applies(self) -> bool:
        return self.source.url == self.url and any(
            getattr(self.source, name) != value for name, value in self.changes.items())


def sources_note(notes: list[Note], *, at: dt.datetime | None = None) -> int:
    """One revision of kind capture writing each note into its source's next version; how many it wrote.

    A note is skipped when the source's URL moved on while we fetched (the
    new URL has its own capture coming) or when nothing would change. An
    editor's save in between only means reading the sources again and
    writing the revision afresh: the archive never wins over it. A backfill
    notes many captures in one revision (each source still gets its own
    version with its own capture's hash and time); the message names each.
    """
    for _attempt in range(3):
        due = [note for note in notes if note.applies()]
        if not due:
            return 0
        try:
            with revision(author=system_user(), message="; ".join(note.said for note in due),
                          kind=Revision.Kind.CAPTURE, at=at):
                # The bulk path of record (one statement per table, not per source).
                update_versions(Source, [(note.source.pk, note.source.version, note.changes) for note in due])
            return len(due)
        except StaleVersionError:
            fresh = Source.objects.in_bulk([note.source.pk for note in notes])
            notes = [replace(note, source=fresh[note.source.pk]) for note in notes if note.source.pk in fresh]
    return 0


def _note_on_source(source: Source, message: str, **changes) -> bool:
    # Read again: a check's note depends on the status now, not as it was before the fetch.
    current = Source.objects.get(pk=source.pk)
    return bool(sources_note([Note(source=current, url=source.url, changes=changes, said=message)]))


def source_capture(source_id: int) -> Capture | None:
    """Capture a cited source's URL (at citation); None when there is nothing to capture.

    Idempotent: a source whose current URL is already archived is left alone,
    so a repeated or replayed task fetches nothing.
    """
    source = Source.objects.filter(pk=source_id).first()
    if source is None or not source.url or source.archived_at:
        return None
    capture = source_fetch(source)
    with transaction.atomic():
        capture.save()
        if capture.outcome == Capture.Outcome.CAPTURED:
            sources_note([citation_note(source, capture)])
    return capture


def source_fetch(source: Source) -> Capture:
    """Fetch a source at citation: its Capture row, unsaved, with the WARC stored when the fetch succeeded.

    No database: a backfill runs it in worker threads.
    """
    fetched = fetch(source.url)
    at = timezone.now()
    if fetched.status_code is None or not 200 <= fetched.status_code < 300:
        return _capture(source, fetched, reason=Capture.Reason.CITATION, outcome=Capture.Outcome.FAILED,
                        at=at, missing=_is_missing(fetched), error=_failure(fetched))
    return _kept_citation(source, fetched, at)


def _kept_citation(source: Source, fetched: outbound.Fetched, at: dt.datetime) -> Capture:
    capture = _capture(source, fetched, reason=Capture.Reason.CITATION, outcome=Capture.Outcome.CAPTURED,
                       at=at)
    # Stored before the row: a row never names a file that is not there.
    warc_store(capture, fetched)
    return capture


def citation_note(source: Source, capture: Capture) -> Note:
    """A capture at citation, as its source's next version: its time and hash, archived."""
    return Note(
        source=source, url=capture.requested_url,
        changes={"archived_at": capture.captured_at, "archive_sha256": capture.sha256,
                 "archive_status": Source.ArchiveStatus.ARCHIVED},
        said=(f"Archived {capture.requested_url} (SHA-256 {capture.sha256}, {capture.size} bytes"
              f"{', truncated' if capture.truncated else ''})"),
    )


def source_capture_file(source_id: int, body: bytes, *, content_type: str, at: dt.datetime) -> Capture | None:
    """Capture a source from a copy of its page on disk (the demo: this machine has no internet).

    The WARC, the row and the capture revision are the same as for a fetch;
    the request record says the copy came from a file. Idempotent like
    source_capture.
    """
    source = Source.objects.get(pk=source_id)
    if not source.url or source.archived_at:
        return None
    fetched = outbound.Fetched(
        url=source.url, method="GET", request_headers=[("User-Agent", f"{USER_AGENT}; from a local file")],
        status_code=200, reason="OK",
        headers=[("Content-Type", content_type), ("Content-Length", str(len(body)))], body=body,
    )
    capture = _kept_citation(source, fetched, at)
    with transaction.atomic():
        capture.save()
        sources_note([citation_note(source, capture)], at=at)
    return capture


def source_check(source_id: int) -> Capture | None:
    """Re-fetch a cited source and record what became of it: unchanged, changed, gone or failed."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None or not source.url:
        return None
    cited = selectors.citation_capture(source)
    if cited is None and not source.archived_at:  # the first try failed: capture it now
        return source_capture(source_id)
    if cited is None:
        # The log names a capture this archive does not hold (a database restored
        # from the log without its captures): nothing to compare with, and a new
        # capture must not pass for the one cited. Noted, so the schedule backs off.
        return Capture.objects.create(
            source=source, reason=Capture.Reason.CHECK, outcome=Capture.Outcome.FAILED,
            requested_url=source.url, captured_at=timezone.now(),
            error=f"The capture cited (SHA-256 {source.archive_sha256}) is not in this archive.")
    fetched = fetch(source.url)
    at = timezone.now()
    if _is_missing(fetched):
        misses = 1 + selectors.missing_in_a_row(source)
        if misses < settings.ARCHIVE_GONE_AFTER:
            return _capture_row(source, fetched, reason=Capture.Reason.CHECK, outcome=Capture.Outcome.FAILED,
                                at=at, keep=False, missing=True,
                                error=f"{_failure(fetched)} ({misses} of {settings.ARCHIVE_GONE_AFTER} "
                                      f"checks before it counts as gone)")
        with transaction.atomic():
            capture = _capture_row(source, fetched, reason=Capture.Reason.CHECK,
                                   outcome=Capture.Outcome.GONE, at=at, keep=False, missing=True,
                                   error=_failure(fetched))
            _note_on_source(source, f"Source gone: {_failure(fetched)}, {misses} checks in a row",
                            archive_status=Source.ArchiveStatus.GONE)
        return capture
    if fetched.status_code is None or not 200 <= fetched.status_code < 300:
        return _capture_row(source, fetched, reason=Capture.Reason.CHECK, outcome=Capture.Outcome.FAILED,
                            at=at, keep=False, error=_failure(fetched))
    content_type, main = _content(fetched)
    sha256 = hashlib.sha256(fetched.body).hexdigest()
    latest = selectors.latest_kept(source) or cited
    cited_text = selectors.capture_text(cited)
    with transaction.atomic():
        if _same(cited, cited_text, main, sha256):
            capture = _capture_row(source, fetched, reason=Capture.Reason.CHECK,
                                   outcome=Capture.Outcome.UNCHANGED, at=at, keep=False, main=main)
            status = Source.ArchiveStatus.ARCHIVED
        elif _same(latest, selectors.capture_text(latest), main, sha256):  # as at the last check
            capture = _capture_row(source, fetched, reason=Capture.Reason.CHECK,
                                   outcome=Capture.Outcome.UNCHANGED, at=at, keep=False, main=main)
            status = Source.ArchiveStatus.CHANGED
        else:
            diff = [change.as_dict() for change in word_diff(cited_text, main)] if main or cited_text else []
            capture = _capture_row(source, fetched, reason=Capture.Reason.CHECK, main=main,
                                   outcome=Capture.Outcome.CHANGED, at=at, keep=True, text_diff=diff)
            status = Source.ArchiveStatus.CHANGED
        messages = {Source.ArchiveStatus.ARCHIVED: "Source back as cited",
                    Source.ArchiveStatus.CHANGED: "Source changed since cited"}
        _note_on_source(source, f"{messages[status]}: {source.url} (SHA-256 {sha256})", archive_status=status)
    return capture


def _same(capture: Capture, capture_text: str, main: str, sha256: str) -> bool:
    # Pages are compared by their main text (furniture and timestamps move every
    # load); a PDF or an image, which has none, by its bytes.
    if main or capture_text:
        return capture_text == main
    return capture.sha256 == sha256


def sources_check(source_ids: Iterable[int]) -> Iterator[tuple[int, Capture | None]]:
    """Check each source in turn; yields (source id, its Capture, or None when the check broke).

    One broken source (logged) never stops the others being checked.
    """
    for source_id in source_ids:
        try:
            capture = source_check(source_id)
        except Exception:  # one broken source must not stop the others being watched
            log.exception("archive: checking source %s failed", source_id)
            capture = None
        yield source_id, capture


WATCH_LOCK = "archive:watch-running"


def sources_check_due(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Check every cited source that is due (see selectors.due_source_ids); how many were checked.

    One run at a time (a cache lock that expires on its own): a slow run is not
    overtaken by the next beat checking the same sources again.
    """
    batch = limit or settings.ARCHIVE_WATCH_BATCH
    if not cache.add(WATCH_LOCK, "1", timeout=int(batch * settings.OUTBOUND_TIMEOUT_SECONDS) + 60):
        return 0
    try:
        ids = selectors.due_source_ids(now=now or timezone.now(), limit=batch)
        for _checked in sources_check(ids):
            pass
        return len(ids)
    finally:
        cache.delete(WATCH_LOCK)
