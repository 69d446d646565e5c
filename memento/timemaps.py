"""TimeMaps (RFC 7089 §5): every Memento of a page, an API resource or a captured source, paged.

`/timemap/link/<original path>` answers `application/link-format` (RFC 6690),
`/timemap/json/<original path>` the same list as JSON (docs/memento.md). A
page holds at most MEMENTO_TIMEMAP_PAGE_SIZE Mementos; `rel="next"` and
`rel="prev"` name the pages either side (`?after=` / `?before=` a Memento's key),
each one keyset query per table, so every page costs the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_safe

from reader.links import memento_url, timemap_url
from reader.numbers import MAX_ID, OutOfRange, bounded_int

from .http import LINK_FORMAT, Link, http_datetime, link_format
from .timelines import ORIGINALS, Moment

FORMS = ("link", "json")


@dataclass
class TimeMapPage:
    original: str  # absolute URIs from here on
    timegate: str
    self_url: str  # this page, in the form asked for
    mementos: list[tuple[Moment, str]]  # (moment, its URI), oldest first
    first: tuple[Moment, str]  # the timeline's first and last Mementos, with their URIs
    last: tuple[Moment, str]
    prev_url: str | None
    next_url: str | None


def paged(request, timeline, page_url: str, memento_uri) -> TimeMapPage | None:
    """The page of `timeline` that `?after=` / `?before=` asks for (None: no Memento at all)."""
    size = settings.MEMENTO_TIMEMAP_PAGE_SIZE
    try:
        after = bounded_int(request.GET["after"], name="after", minimum=0, maximum=MAX_ID) \
            if "after" in request.GET else None
        before = bounded_int(request.GET["before"], name="before", minimum=0, maximum=MAX_ID) \
            if "before" in request.GET and after is None else None
    except OutOfRange as bad:
        raise BadPage(str(bad)) from None
    first, last = timeline.bounds()
    if first is None:
        return None
    rows = timeline.page(after=after, before=before, size=size)
    if before is not None:
        more_before, more_after = len(rows) > size, True
        rows = rows[-size:]
    else:
        more_before, more_after = after is not None, len(rows) > size
        rows = rows[:size]
    absolute = request.build_absolute_uri
    return TimeMapPage(
        original="", timegate="", self_url=absolute(request.get_full_path()),
        mementos=[(moment, absolute(memento_uri(moment))) for moment in rows],
        first=(first, absolute(memento_uri(first))), last=(last, absolute(memento_uri(last))),
        prev_url=absolute(f"{page_url}?before={rows[0].key}") if rows and more_before else None,
        next_url=absolute(f"{page_url}?after={rows[-1].key}") if rows and more_after else None,
    )


class BadPage(ValueError):
    """`?after=` or `?before=` is not a key."""


def _rel(page: TimeMapPage, moment: Moment) -> str:
    words = ["first"] if moment.key == page.first[0].key else []
    words += ["last"] if moment.key == page.last[0].key else []
    return " ".join([*words, "memento"])


def link_document(page: TimeMapPage) -> str:
    links = [Link(page.original, "original"), Link(page.timegate, "timegate")]
    span = {"from": http_datetime(page.mementos[0][0].at),
            "until": http_datetime(page.mementos[-1][0].at)} if page.mementos else {}
    links.append(Link(page.self_url, "self", {"type": LINK_FORMAT, **span}))
    if page.prev_url:
        links.append(Link(page.prev_url, "prev", {"type": LINK_FORMAT}))
    if page.next_url:
        links.append(Link(page.next_url, "next", {"type": LINK_FORMAT}))
    links += [Link(uri, _rel(page, moment), {"datetime": http_datetime(moment.at)})
              for moment, uri in page.mementos]
    return link_format(links)


def json_document(page: TimeMapPage) -> dict:
    """The TimeMap as JSON (docs/memento.md#timemaps): the same links as the link-format one."""

    def entry(moment: Moment, uri: str) -> dict:
        return {"datetime": http_datetime(moment.at), "recorded_at": moment.at.isoformat(), "uri": uri}

    return {
        "original_uri": page.original, "timegate_uri": page.timegate, "self": page.self_url,
        "mementos": {"first": entry(*page.first), "last": entry(*page.last),
                     "list": [entry(moment, uri) for moment, uri in page.mementos]},
        "pages": {"prev": page.prev_url, "next": page.next_url},
    }


def answer(page: TimeMapPage, form: str) -> HttpResponse:
    if form == "json":
        return JsonResponse(json_document(page), json_dumps_params={"indent": 1})
    return HttpResponse(link_document(page), content_type=f"{LINK_FORMAT}; charset=utf-8")


def bad_page(form: str, message: str) -> HttpResponse:
    if form == "json":
        return JsonResponse({"error": message}, status=400)
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


@require_safe
def timemap(request, form: str, original: str):
    """The TimeMap of one of our pages or API resources (those timelines.ORIGINALS names)."""
    if form not in FORMS:
        raise Http404("TimeMaps come as link or json.")
    path = "/" + original
    try:
        match = resolve(path)
    except Resolver404:
        raise Http404("No such page.") from None
    if match.view_name not in ORIGINALS:
        raise Http404("This page has no Mementos.")
    timeline = ORIGINALS[match.view_name](match.kwargs)
    try:
        page = paged(request, timeline, timemap_url(path, form), lambda moment: memento_url(path, moment.at))
    except BadPage as bad:
        return bad_page(form, str(bad))
    if page is None:
        raise Http404("No such page, or nothing recorded about it yet.")
    page.original = page.timegate = request.build_absolute_uri(path)
    return answer(page, form)
