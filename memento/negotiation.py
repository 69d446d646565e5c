"""Pattern 1.1 of RFC 7089: each original page is its own TimeGate, each `?as_of=` page a Memento.

`original` wraps a page or API view: a GET with Accept-Datetime (and no
`?as_of=`) is answered here with a 302 to the Memento for that moment; a GET
of a Memento gets `Memento-Datetime` and its Link header; a plain GET its
Link to the TimeMap and `Vary: accept-datetime`. The view itself is untouched.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.cache import patch_vary_headers

from edge.headers import lasting
from reader.links import memento_url, timemap_url
from record.moments import parse_moment

from .http import LINK_FORMAT, Link, accept_datetime, http_datetime, link_value
from .timelines import ORIGINALS, Moment

BAD_DATE = ("Accept-Datetime must be an RFC 1123 date in GMT, for example "
            "“Wed, 20 Sep 2023 12:00:00 GMT” (RFC 7089 §2.1.1).")


def add_links(response: HttpResponse, links: list[Link]) -> HttpResponse:
    """Add `links` to the response's Link header, after any the view set."""
    value = link_value(links)
    response["Link"] = f"{response['Link']}, {value}" if response.get("Link") else value
    return response


def original_links(request, original: str) -> list[Link]:
    """The links every answer about an original page carries: itself as TimeGate, its TimeMap."""
    absolute = request.build_absolute_uri
    return [Link(absolute(original), "original timegate"),
            Link(absolute(timemap_url(original)), "timemap", {"type": LINK_FORMAT})]


def memento_links(request, timeline, shown: Moment, url_of) -> list[Link]:
    """first/last/prev/next memento links around `shown`, each with its datetime."""
    return [Link(request.build_absolute_uri(url_of(moment)), f"{word} memento",
                 {"datetime": http_datetime(moment.at)})
            for word, moment in timeline.around(shown).items() if moment is not None]


def bad_date(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"accept_datetime": [BAD_DATE]}, status=400)
    return HttpResponse(BAD_DATE + "\n", status=400, content_type="text/plain; charset=utf-8")


def redirect_to_memento(request, timeline, original: str) -> HttpResponse | None:
    """The TimeGate's answer to Accept-Datetime: 302 to the Memento, or 400; None: no Memento at all."""
    moment = accept_datetime(request.headers["Accept-Datetime"])
    if moment is None:
        response = bad_date(request)
    else:
        # Before the item existed: its first Memento (RFC 7089 §4.1.1 leaves the choice to us).
        found = timeline.at(moment) or timeline.first()
        if found is None:
            return None
        response = HttpResponseRedirect(request.build_absolute_uri(memento_url(original, found.at)))
        # The Memento's neighbours, as RFC 7089 §4.1.1 shows them on the TimeGate's answer: a
        # client (memento-client) reads first/last/prev/next from here, not from the Memento.
        add_links(response, memento_links(request, timeline, found, lambda m: memento_url(original, m.at)))
    patch_vary_headers(response, ["Accept-Datetime"])
    links = original_links(request, original)
    response["Link"] = link_value(links) + (f", {response['Link']}" if response.get("Link") else "")
    return response


def as_memento(request, response: HttpResponse, timeline, original: str) -> HttpResponse:
    """Say which recorded revision the `?as_of=` page shows, and where its neighbours are."""
    moment = parse_moment(request.GET["as_of"])
    shown = timeline.at(moment) if moment is not None else None
    if shown is None:  # before anything was recorded: not a Memento of anything
        return add_links(response, original_links(request, original))
    response["Memento-Datetime"] = http_datetime(shown.at)
    links = original_links(request, original) + memento_links(
        request, timeline, shown, lambda m: memento_url(original, m.at))
    return lasting(add_links(response, links))  # what it shows never changes: the edge keeps it long


def original(view):
    """Make a page or API view of an original resource (timelines.ORIGINALS) speak Memento."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in ORIGINALS:
            return view(request, *args, **kwargs)
        timeline = ORIGINALS[match.view_name](match.kwargs)
        path = request.path
        if request.method in ("GET", "HEAD") and "as_of" not in request.GET \
                and "Accept-Datetime" in request.headers:
            redirect = redirect_to_memento(request, timeline, path)
            if redirect is not None:
                return redirect
        response = view(request, *args, **kwargs)
        if response.status_code >= 400:
            return response
        if "as_of" in request.GET:
            return as_memento(request, response, timeline, path)
        patch_vary_headers(response, ["Accept-Datetime"])
        return add_links(response, original_links(request, path))

    return wrapper
