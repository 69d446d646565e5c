"""Reads of the archive: a source's captures, its archive state, which are due, flagged, or failed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Subquery, TextField, Value, When
from django.urls import reverse

from claims.models import Claim
from events.models import Development, Source, Story

from .models import Capture
from .text import main_text
from .warc import read_response

FLAGGED = (Source.ArchiveStatus.CHANGED, Source.ArchiveStatus.GONE)


def citation_capture(source: Source) -> Capture | None:
    """The capture the source was cited with: the one its current version names."""
    if not source.archived_at:
        return None
    return (Capture.objects.filter(source=source, outcome=Capture.Outcome.CAPTURED,
                                   requested_url=source.url, captured_at=source.archived_at)
            .order_by("-id").first())


def latest_kept(source: Source) -> Capture | None:
    """The latest capture with a WARC file of the source's current URL (at citation or a change)."""
    return (Capture.objects.filter(source=source, requested_url=source.url)
            .exclude(warc="").order_by("-captured_at", "-id").first())


def capture_text(capture: Capture) -> str:
    """The main text of a kept capture: stored by checks, read back from the WARC for one at citation."""
    if capture.text or not capture.kept:
        return capture.text
    with capture.warc.open("rb") as stream:
        replayed = read_response(stream)
    return main_text(replayed.body, replayed.content_type)


def missing_in_a_row(source: Source) -> int:
    """How many of the latest checks of the current URL found it missing (404/410, no such host)."""
    recent = (Capture.objects.filter(source=source, requested_url=source.url)
              .order_by("-captured_at", "-id")
              .values_list("missing", flat=True)[:settings.ARCHIVE_GONE_AFTER])
    count = 0
    for missing in recent:
        if not missing:
            break
        count += 1
    return count


def shown_capture(source: Source, capture_id: str | None) -> Capture | None:
    """The capture a reader asked for (`?capture=<id>`, any kept one of the source), else the cited one."""
    if capture_id is None:
        return citation_capture(source)
    if not re.fullmatch(r"[0-9]{1,18}", capture_id):
        return None
    return Capture.objects.filter(source=source, pk=int(capture_id)).exclude(warc="").first()


def captures_of(source_id: int) -> list[Capture]:
    """Every fetch of the source, newest first."""
    return list(Capture.objects.filter(source_id=source_id).order_by("-captured_at", "-id"))


def cited_sources():
    """Sources with a URL that a claim or a development cites."""
    return Source.objects.exclude(url="").filter(
        Exists(Claim.sources.through.objects.filter(source_id=OuterRef("pk")))
        | Exists(Development.sources.through.objects.filter(source_id=OuterRef("pk"))))


def backfill_source_ids(*, story: Story | None = None, recheck: bool = False) -> list[int]:
    """Cited sources (of one story's developments and claims, or all) for a backfill:
    those not archived yet, or every one with `recheck`."""
    sources = cited_sources()
    if story is not None:
        sources = sources.filter(Q(developments__story=story) | Q(claims__development__story=story))
    if not recheck:
        sources = sources.filter(archived_at__isnull=True)
    return sorted(set(sources.values_list("id", flat=True)))


def due_source_ids(*, now: dt.datetime, limit: int) -> list[int]:
    """Cited sources whose next check is due, longest-waiting first.

    Backing off with age, as diffengine does: every ARCHIVE_CHECK_YOUNG_HOURS
    (a day) in the first ARCHIVE_YOUNG_DAYS (a week) after citation, every
    ARCHIVE_CHECK_OLD_HOURS (a week) after. A source never fetched is due at once.
    """
    rows = (cited_sources()
            .annotate(last_check=Max("captures__captured_at", filter=Q(captures__requested_url=F("url"))))
            .values_list("id", "archived_at", "last_check"))
    young = dt.timedelta(days=settings.ARCHIVE_YOUNG_DAYS)
    due: list[tuple[dt.datetime, int]] = []
    for source_id, archived_at, last_check in rows:
        if last_check is None:
            due.append((dt.datetime.min.replace(tzinfo=dt.UTC), source_id))
            continue
        age = now - (archived_at or last_check)
        hours = settings.ARCHIVE_CHECK_YOUNG_HOURS if age < young else settings.ARCHIVE_CHECK_OLD_HOURS
        if now - last_check >= dt.timedelta(hours=hours):
            due.append((last_check, source_id))
    return [source_id for _, source_id in sorted(due)[:limit]]


@dataclass(frozen=True)
class ArchiveState:
    """What readers and the API are told of a source's archived copy."""

    source_id: int
    status: str  # "" (not archived), archived, changed, gone; or failed (tried, never captured)
    captured_at: dt.datetime | None
    sha256: str
    checked_at: dt.datetime | None

    @property
    def archived(self) -> bool:
        return self.captured_at is not None

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED

    @property
    def flag_text(self) -> str:
        words = {"changed": "source changed since cited", "gone": "source gone since cited"}
        return words.get(self.status, "")

    @property
    def archive_url(self) -> str | None:
        return reverse("pages:source_archive", args=[self.source_id]) if self.archived else None

    @property
    def warc_url(self) -> str | None:
        return reverse("pages:source_warc", args=[self.source_id]) if self.archived else None


def with_checked_at(sources):
    """Sources annotated with `checked_at`, their URL's latest fetch: no query of its own per row."""
    return sources.annotate(checked_at=Max("captures__captured_at",
                                           filter=Q(captures__requested_url=F("url"))))


def archive_state(source: Source) -> ArchiveState:
    """A source's archive state, from its version's fields and `checked_at` (see with_checked_at)."""
    checked_at = getattr(source, "checked_at", None)
    status = source.archive_status or ("failed" if checked_at else "")  # tried, never captured
    return ArchiveState(source_id=source.pk, status=status, captured_at=source.archived_at,
                        sha256=source.archive_sha256, checked_at=checked_at)


def latest_capture_id(source_id: int | None = None) -> int:
    """The newest capture (of one source, or of any): what a read's ETag names besides revisions."""
    rows = Capture.objects.all() if source_id is None else Capture.objects.filter(source_id=source_id)
    return rows.aggregate(latest=Max("id"))["latest"] or 0


def citing_claims(source_ids: Iterable[int]) -> dict[int, list[Claim]]:
    """{source id: the current claims citing it, with their developments}; one query."""
    source_ids = list(source_ids)
    if not source_ids:
        return {}
    rows = (Claim.sources.through.objects.filter(source_id__in=source_ids)
            .select_related("claim__development").order_by("claim__made_on", "claim_id"))
    citing: dict[int, list[Claim]] = {}
    for row in rows:
        citing.setdefault(row.source_id, []).append(row.claim)
    return citing


# --- failed captures: "not archived", and why -------------------------------------------

def _latest_fetch():
    """The latest capture of the outer source's current URL, as a subquery."""
    return (Capture.objects.filter(source=OuterRef("pk"), requested_url=OuterRef("url"))
            .order_by("-captured_at", "-id"))


def with_capture_failure(sources):
    """Sources annotated with `capture_failure`: the error of their URL's latest fetch if it failed, else "".

    One subquery in the sources' own query: a page listing sources stays constant-query.
    """
    failed = _latest_fetch().annotate(why=Case(
        When(outcome=Capture.Outcome.FAILED, then=F("error")), default=Value(""), output_field=TextField()))
    return sources.annotate(capture_failure=Subquery(failed.values("why")[:1]))


def failure_text(error: str) -> str:
    """A failed fetch's error in a reader's words: 'the site did not answer in time'."""
    if not error:
        return ""
    if error.startswith("HTTP "):
        return "the site answered " + error.split(" (", 1)[0][:60]
    if "does not resolve" in error:
        return "the site's name does not resolve"
    if error.startswith("Refused:"):
        return "the address is not one the tracker fetches"
    if "Timeout" in error or "took too long" in error:
        return "the site did not answer in time"
    if "is not in this archive" in error:
        return "the capture cited is not in this archive"
    return "the site could not be reached"


@dataclass(frozen=True)
class FailedCapture:
    """A cited source whose latest fetch failed: what editors are shown to act on."""

    source: Source
    capture: Capture

    @property
    def reason(self) -> str:
        return failure_text(self.capture.error)


def failed_captures(*, story: Story | None = None, limit: int | None = None) -> list[FailedCapture]:
    """Cited sources (of one story, or all) whose URL's latest fetch failed, newest failure first.

    Never archived, or archived and now failing a check; two queries, however many.
    """
    sources = cited_sources()
    if story is not None:
        sources = sources.filter(Q(developments__story=story) | Q(claims__development__story=story))
    latest = sources.annotate(latest_id=Subquery(_latest_fetch().values("id")[:1])).values("latest_id")
    captures = (Capture.objects.filter(id__in=latest, outcome=Capture.Outcome.FAILED)
                .select_related("source").order_by("-captured_at", "-id"))
    if limit is not None:
        captures = captures[:limit]
    return [FailedCapture(source=capture.source, capture=capture) for capture in captures]
