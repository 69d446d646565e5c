"""The archived copy of a cited source: our banner page framing the capture, the sandboxed copy, its WARC.

A captured HTML page is never spliced into a page of ours: the banner page
(`/sources/<id>/archive/`) is the tracker's own markup and frames the copy
(`.../archive/copy/`), served on its own path with its own CSP as a sandbox
(a unique origin, no scripts, no forms), so the captured markup can neither
remove nor restyle the banner, nor pose as the tracker at the top of the tab.
The hash shown is computed from the WARC file served, not read from a row.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from archive import selectors as archive_selectors
from archive.models import Capture
from archive.text import charset_of, is_html
from archive.warc import decoded_chunks, read_response
from edge.headers import shared
from edge.keys import item_key
from events.models import Source
from memento.sources import capture_memento
from reader.links import claim_url

# The captured page is someone else's markup: a sandbox (a unique origin, no
# scripts, no forms, no plugins) and nothing fetched from anywhere, not even
# the original site, so reading the copy tells no one you read it.
ARCHIVE_POLICY = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                  "frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
# The copy of an HTML page: the same, but it may be framed. The banner page that
# frames it is itself sandboxed (a unique origin), which no frame-ancestors source
# can name; framed elsewhere the copy can do nothing (no scripts, no forms), and
# opened on its own it sends a browser to the banner page (Sec-Fetch-Dest).
COPY_POLICY = ARCHIVE_POLICY.replace("frame-ancestors 'none'; ", "")
# The banner page: ours, no scripts either; it frames the copy and uses our stylesheet.
BANNER_POLICY = ("sandbox; default-src 'none'; "
                 "img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; "
                 "frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
# Served as captured; anything else is a download, never rendered on our origin.
SHOWN_AS_IS = ("text/plain", "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


def _capture(request, pk: int) -> tuple[Source, Capture]:
    source = get_object_or_404(Source, pk=pk)
    capture = archive_selectors.shown_capture(source, request.GET.get("capture"))
    if capture is None:
        raise Http404("No archived copy of this source.")
    return source, capture


def _archived(request, response, source: Source, capture: Capture, policy: str):
    capture_memento(request, response, source, capture)  # a Memento of the source's URL (RFC 7089)
    response["Content-Security-Policy"] = policy
    response["X-Robots-Tag"] = "noindex"
    response["Archived-At"] = capture.captured_at.isoformat(timespec="seconds")
    return shared(response, [item_key("source", source.pk)])


def _banner_page(request, source: Source, capture: Capture, sha256: str, truncated: bool) -> HttpResponse:
    claims = archive_selectors.citing_claims([source.pk]).get(source.pk, [])
    query = f"?capture={capture.pk}"
    context = {
        "source": source, "capture": capture, "cited": capture.outcome == Capture.Outcome.CAPTURED,
        "sha256": sha256, "recorded_sha256": capture.sha256, "truncated": truncated or capture.truncated,
        "claims": [(claim, claim_url(claim.development.story.slug, claim.development_id, claim.pk))
                   for claim in claims],
        "copy_url": reverse("pages:source_archive_copy", args=[source.pk]) + query,
        "warc_url": reverse("pages:source_warc", args=[source.pk]) + query,
    }
    return render(request, "pages/archive.html", context)


@require_safe
def source_archive(request, pk: int) -> HttpResponse:
    source, capture = _capture(request, pk)
    with capture.warc.open("rb") as stream:
        replayed = read_response(stream)
    kind = replayed.content_type.split(";", 1)[0].strip().lower()
    if is_html(replayed.content_type):
        response = _banner_page(request, source, capture, replayed.sha256, replayed.truncated)
        return _archived(request, response, source, capture, BANNER_POLICY)
    if kind in SHOWN_AS_IS or kind.startswith("text/"):
        # Text and PDF as captured; other text/* as plain text, so nothing is interpreted.
        shown = replayed.content_type if kind in SHOWN_AS_IS else "text/plain; charset=" + (
            charset_of(replayed.content_type))
        response = HttpResponse(replayed.body, content_type=shown)
    else:
        response = HttpResponse(replayed.body, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="source-{source.pk}-{capture.pk}"'
    return _archived(request, response, source, capture, ARCHIVE_POLICY)


def _streamed(capture: Capture):
    # The file stays open while the body streams, a chunk at a time, cut at OUTBOUND_MAX_BYTES decoded.
    with capture.warc.open("rb") as stream:
        yield from decoded_chunks(stream)


@require_safe
@xframe_options_exempt
def source_archive_copy(request, pk: int) -> HttpResponse:
    source, capture = _capture(request, pk)
    banner_page = reverse("pages:source_archive", args=[source.pk]) + f"?capture={capture.pk}"
    # Opened on its own (not in our frame), a browser is sent to the banner page.
    if request.headers.get("Sec-Fetch-Dest", "iframe") != "iframe":
        return HttpResponseRedirect(banner_page)
    with capture.warc.open("rb") as stream:
        replayed = read_response(stream, max_bytes=0)
    if not is_html(replayed.content_type):
        return HttpResponseRedirect(banner_page)
    # Served in a charset we name (a text encoding, see charset_of), never the page's own word for it.
    response = StreamingHttpResponse(_streamed(capture),
                                     content_type=f"text/html; charset={charset_of(replayed.content_type)}")
    return _archived(request, response, source, capture, COPY_POLICY)


@require_safe
def source_warc(request, pk: int) -> FileResponse:
    source, capture = _capture(request, pk)
    response = FileResponse(capture.warc.open("rb"), content_type="application/warc",
                            as_attachment=True, filename=f"source-{source.pk}-capture-{capture.pk}.warc.gz")
    response["Content-Security-Policy"] = ARCHIVE_POLICY
    return shared(response, [item_key("source", source.pk)])
