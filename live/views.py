"""The two streams: parse the cursor, then answer Pushpin with GRIP instructions or stream directly.

Through Pushpin (a valid Grip-Sig) the answer is short: the backlog after the
cursor as the body, and instructions to hold the connection on the stream's
channels. Without Pushpin on a threaded server (`make run`) the response
streams itself: it polls the change feed and ends after
settings.LIVE_DIRECT_SECONDS, when EventSource reconnects with Last-Event-ID.
Without Pushpin on a server with one request per process at a time (gunicorn's
sync workers) nothing is held: the backlog, then the connection ends.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from events.models import Story

from . import grip
from .selectors import PAGE, Scope, events_after, last_ids, log_end

CURSOR = re.compile(r"[0-9]{1,19}")
MAX_CURSOR = 2**63 - 1
SSE_HEADERS = {"Cache-Control": "no-cache, no-store", "X-Accel-Buffering": "no"}


class BadRequest(Exception):
    pass


def _cursor(value: str, name: str) -> int:
    if not CURSOR.fullmatch(value) or int(value) > MAX_CURSOR:
        raise BadRequest(f"{name} must be a revision id (digits only, as sent in an event's `id:`), "
                         f"not {value[:40]!r}.")
    return int(value)


def requested_cursor(request) -> int | None:
    """Last-Event-ID (EventSource sends it on reconnect) wins over ?after= (the URL it was opened with)."""
    header = request.headers.get("Last-Event-ID", "").strip()
    if header:
        return _cursor(header, "Last-Event-ID")
    if "after" in request.GET:
        return _cursor(request.GET["after"], "after")
    return None


@require_safe
def story_live(request, slug: str):
    story = get_object_or_404(Story, slug=slug)
    return _stream(request, Scope((story,)))


@require_safe
def changes_stream(request):
    slugs = request.GET.getlist("story")
    if not slugs:
        return _stream(request, Scope())
    stories = {story.slug: story for story in Story.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in stories]
    if unknown:
        return JsonResponse({"detail": f"No story with the slug {unknown[0]!r}.", "story": unknown},
                            status=400)
    return _stream(request, Scope(tuple(stories[slug] for slug in dict.fromkeys(slugs))))


def _stream(request, scope: Scope):
    try:
        cursor = requested_cursor(request)
        end = log_end()
        # Beyond the end of the log (another database, a typo): wait from the end.
        after = end if cursor is None else min(cursor, end)
        proxied = grip.grip_proxied(request)
        cursors = _recovered_cursors(request, scope) if proxied and "recover" in request.GET else {}
    except BadRequest as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    if proxied:
        return _grip_response(request, scope, after, cursors, end)
    if not request.META.get("wsgi.multithread", False):
        return _short_response(scope, after)
    return StreamingHttpResponse(_direct(scope, after), content_type="text/event-stream",
                                 headers=SSE_HEADERS)


def _recovered_cursors(request, scope: Scope) -> dict[str, int]:
    """Pushpin's recovery request names the last id it delivered on each channel."""
    wanted = set(scope.channels())
    return {channel: _cursor(last, "Grip-Last")
            for channel, last in grip.parse_grip_last(request).items() if channel in wanted}


def _link(request, **params) -> str:
    stories = [("story", slug) for slug in request.GET.getlist("story")]
    return f"{request.path}?{urlencode([*stories, *params.items()])}"


def _grip_response(request, scope: Scope, after: int, cursors: dict[str, int], end: int) -> HttpResponse:
    # Only revisions up to `end` (read before the backlog): the channels' prev-ids
    # then name exactly what was sent, and anything later reaches the
    # connection as a publish, or through recovery if that publish came first.
    events = [e for e in events_after(scope, cursors, default=after, limit=PAGE) if e.id <= end]
    if len(events) == PAGE and events[-1].id < end:
        instructions = grip.next_page_headers(_link(request, after=events[-1].id))
    else:
        prev_ids = dict.fromkeys(scope.channels()) | last_ids(scope, end)
        instructions = grip.hold_stream_headers(
            prev_ids, next_link=_link(request, after=end, recover=1),
            keepalive=settings.LIVE_KEEPALIVE_SECONDS, recover_after=settings.LIVE_RECOVER_SECONDS,
        )
    return HttpResponse("".join(event.sse() for event in events), content_type="text/event-stream",
                        headers={**SSE_HEADERS, **instructions})


def _short_response(scope: Scope, after: int) -> StreamingHttpResponse:
    """A stream on a server that runs one request at a time per process (gunicorn's sync workers).

    Holding it would take the whole worker: three readers would stall the site
    (Pushpin holds streams in production, but one can still reach gunicorn past it).
    The answer is the backlog after the cursor and the cursor itself (an `id:`
    line sets EventSource's Last-Event-ID without an event), then the stream
    ends; EventSource comes back after `retry` milliseconds and goes on from there.
    """
    events = events_after(scope, {}, default=after, limit=PAGE)
    last = events[-1].id if events else after
    chunks = [f"retry: {settings.LIVE_RETRY_MILLISECONDS}\n\n", *(e.sse() for e in events), f"id: {last}\n\n"]
    return StreamingHttpResponse(chunks, content_type="text/event-stream", headers=SSE_HEADERS)


def _direct(scope: Scope, after: int):
    """Stream without Pushpin: poll the change feed; bounded, so dev servers do not pile up threads."""
    try:
        yield f"retry: {settings.LIVE_RETRY_MILLISECONDS}\n\n"
        yield from _poll(scope, after)
    finally:
        # The generator outlives the view: give its connection back when the reader leaves
        # (not inside a transaction: a test's, which owns the connection).
        if not connection.in_atomic_block:
            connection.close()


def _poll(scope: Scope, after: int):
    started = last_sent = time.monotonic()
    while True:
        events = events_after(scope, {}, default=after, limit=PAGE)
        for event in events:
            yield event.sse()
            after = event.id
        now = time.monotonic()
        if events:
            last_sent = now
            if len(events) == PAGE:
                continue
        if now - started >= settings.LIVE_DIRECT_SECONDS:
            return
        if now - last_sent >= settings.LIVE_KEEPALIVE_SECONDS:
            yield ": keep-alive\n\n"
            last_sent = now
        time.sleep(settings.LIVE_POLL_SECONDS)
