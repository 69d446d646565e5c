"""A captured source as Mementos of its own URL: each archived copy, a TimeGate and a TimeMap over them.

The original resource is the source's URL on the web (not ours); its Mementos
are the captures we kept a WARC file of (`/sources/<id>/archive/?capture=<id>`),
dated by the fetch. `/sources/<id>/timegate/` picks one by Accept-Datetime,
`/sources/<id>/timemap/link` (or `json`) lists them.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from archive.models import Capture
from events.models import Source
from reader.links import capture_url, source_timegate_url, source_timemap_url

from .http import LINK_FORMAT, Link, accept_datetime, http_datetime
from .negotiation import BAD_DATE, add_links, memento_links
from .timelines import CaptureTimeline
from .timemaps import FORMS, BadPage, answer, bad_page, paged


def _source_links(request, source: Source) -> list[Link]:
    absolute = request.build_absolute_uri
    return [Link(source.url, "original"), Link(absolute(source_timegate_url(source.pk)), "timegate"),
            Link(absolute(source_timemap_url(source.pk)), "timemap", {"type": LINK_FORMAT})]


def capture_memento(request, response: HttpResponse, source: Source, capture: Capture) -> HttpResponse:
    """An archived copy answers as a Memento of the source's URL: when it was fetched, and its links."""
    response["Memento-Datetime"] = http_datetime(capture.captured_at)
    return add_links(response, _source_links(request, source))


def _cited(pk: int) -> Source:
    source = get_object_or_404(Source, pk=pk)
    if not source.url:
        raise Http404("This source has no URL.")
    return source


@require_safe
def source_timegate(request, pk: int) -> HttpResponse:
    """302 to the capture closest before Accept-Datetime (the first if earlier; the latest without one)."""
    source = _cited(pk)
    timeline = CaptureTimeline(source.pk)
    header = request.headers.get("Accept-Datetime")
    if header is None:
        found = timeline.last()
    else:
        moment = accept_datetime(header)
        if moment is None:
            response = HttpResponse(BAD_DATE + "\n", status=400, content_type="text/plain; charset=utf-8")
            return add_links(response, _source_links(request, source))
        found = timeline.at(moment) or timeline.first()
    if found is None:
        raise Http404("No archived copy of this source.")
    response = HttpResponseRedirect(request.build_absolute_uri(capture_url(source.pk, found.key)))
    patch_vary_headers(response, ["Accept-Datetime"])
    links = _source_links(request, source) + memento_links(
        request, timeline, found, lambda moment: capture_url(source.pk, moment.key))
    return add_links(response, links)


@require_safe
def source_timemap(request, pk: int, form: str) -> HttpResponse:
    if form not in FORMS:
        raise Http404("TimeMaps come as link or json.")
    source = _cited(pk)
    try:
        page = paged(request, CaptureTimeline(source.pk), source_timemap_url(source.pk, form),
                     lambda moment: capture_url(source.pk, moment.key))
    except BadPage as bad:
        return bad_page(form, str(bad))
    if page is None:
        raise Http404("No archived copy of this source.")
    page.original, page.timegate = source.url, request.build_absolute_uri(source_timegate_url(source.pk))
    return answer(page, form)
