"""The archived copy of a cited source from our origin (sandboxed, no scripts, bannered), and its WARC."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from archive import selectors as archive_selectors
from archive.models import Capture
from archive.text import charset_of, is_html
from archive.warc import Replayed, read_response
from edge.headers import shared
from edge.keys import item_key
from events.models import Source

# The captured page is someone else's markup: a sandbox (a unique origin, no
# scripts, no forms, no plugins) and nothing fetched from anywhere, not even
# the original site, so reading the copy tells no one you read it.
ARCHIVE_POLICY = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                  "frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
# Served as captured; anything else is a download, never rendered on our origin.
SHOWN_AS_IS = ("text/plain", "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")
_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def _capture(request, pk: int) -> tuple[Source, Capture]:
    source = get_object_or_404(Source, pk=pk)
    capture = archive_selectors.shown_capture(source, request.GET.get("capture"))
    if capture is None:
        raise Http404("No archived copy of this source.")
    return source, capture


def _bannered(source: Source, capture: Capture, replayed: Replayed) -> bytes:
    banner = render_to_string("pages/archive_banner.html", {
        "source": source, "capture": capture, "cited": capture.outcome == Capture.Outcome.CAPTURED,
    }).encode()
    markup = replayed.body.decode(charset_of(replayed.content_type), "replace").encode()
    found = _BODY.search(markup)
    at = found.end() if found else 0
    return markup[:at] + banner + markup[at:]


@require_safe
def source_archive(request, pk: int) -> HttpResponse:
    source, capture = _capture(request, pk)
    with capture.warc.open("rb") as stream:
        replayed = read_response(stream)
    kind = replayed.content_type.split(";", 1)[0].strip().lower()
    if is_html(replayed.content_type):
        response = HttpResponse(_bannered(source, capture, replayed), content_type="text/html; charset=utf-8")
    elif kind in SHOWN_AS_IS or kind.startswith("text/"):
        # Text and PDF as captured; other text/* as plain text, so nothing is interpreted.
        shown = replayed.content_type if kind in SHOWN_AS_IS else "text/plain; charset=" + (
            charset_of(replayed.content_type))
        response = HttpResponse(replayed.body, content_type=shown)
    else:
        response = HttpResponse(replayed.body, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="source-{source.pk}-{capture.pk}"'
    response["Content-Security-Policy"] = ARCHIVE_POLICY
    response["X-Robots-Tag"] = "noindex"
    response["Archived-At"] = capture.captured_at.isoformat(timespec="seconds")
    return shared(response, [item_key("source", source.pk)])


@require_safe
def source_warc(request, pk: int) -> FileResponse:
    source, capture = _capture(request, pk)
    response = FileResponse(capture.warc.open("rb"), content_type="application/warc",
                            as_attachment=True, filename=f"source-{source.pk}-capture-{capture.pk}.warc.gz")
    response["Content-Security-Policy"] = ARCHIVE_POLICY
    return shared(response, [item_key("source", source.pk)])
