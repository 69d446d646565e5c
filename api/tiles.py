"""The public log as C2SP tlog-tiles under /log/: the checkpoint, hash tiles and entry bundles.

Plain, read-only GETs meant to be served by the edge: a full tile or bundle
never changes (immutable for a year, surrogate key `log-tiles`); the
checkpoint and partial tiles are short-lived at the edge and purged when a
checkpoint is published (`log-head`, edge.receivers). A reader verifies
everything here against the signed checkpoint (tools/verify_log.py --tiles).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from edge.headers import immutable, shared
from edge.keys import LOG_HEAD, LOG_TILES
from publiclog import checkpoints, tiles


@require_safe
def checkpoint(request) -> HttpResponse:
    """The latest signed checkpoint note (with any cosignatures): what every tile is checked against."""
    latest = checkpoints.latest_checkpoint()
    if latest is None:
        raise Http404("No checkpoint has been signed yet.")
    response = HttpResponse(checkpoints.served_note(latest), content_type="text/plain; charset=utf-8")
    return shared(response, [LOG_HEAD])


@require_safe
def tile(request, path: str) -> HttpResponse:
    """`tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, N in the spec's x-prefixed 3-digit groups."""
    try:
        wanted = tiles.parse_path("tile/" + path)
    except ValueError as error:
        raise Http404(f"Not a tile path: {error}.") from error
    data = tiles.tile_bytes(wanted)
    if data is None:
        raise Http404("The log has no such tile (yet).")
    response = HttpResponse(data, content_type="application/octet-stream")
    if wanted.full:
        return immutable(response, [LOG_TILES])
    return shared(response, [LOG_HEAD])
