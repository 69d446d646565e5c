"""A repeated anonymous poll of the change feed, answered before the other middlewares, as they answered it.

The change feed keeps each page it serves by ETag (api.changefeed). This
middleware, right after SecurityMiddleware (an SSL redirect still comes first,
and its headers are added to every answer alike), records on a kept page what
the rest of the chain sent for it: the 200's headers (the body is the page's)
and the 304's, exactly as they went out after every middleware (the session's
`Vary: Cookie`, the CSP, X-Frame-Options, the edge's Cache-Control, the
Content-Length). The next such poll is answered with those bytes before
sessions, authentication, CSRF, URL resolution or DRF run.

It answers only where the ordinary path would answer the same, so each
condition is at least as strict as the view's: a GET of exactly the feed's
path with no cookie at all and no Authorization (the view looks only for the
session and CSRF cookies), a plain Accept and no `format`; a Host that
ALLOWED_HOSTS accepts (else the ordinary path refuses it, as always); the
listener vouching for the latest revision and the ETag derived from it naming
a kept page whose answer was recorded; preconditions that answer 304 or
nothing (a 412 is the view's); nobody authenticated as DRF's authenticators
see it; and the view's throttles, which count this poll as DRF would (a
refusal goes down the chain, which refuses it with DRF's 429).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import NoReverseMatch, Resolver404, get_resolver
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from edge import watch
from reader.conditional import precondition

from .changefeed import PLAIN_ACCEPT, ChangeFeedView, KeptPage, kept_key, kept_pages
from .common import etag_after
from .renderers import OneJSONRenderer

_RECORDED = (200, 304)


def repeat_polls(get_response: Callable[[HttpRequest], HttpResponse]):
    """Answer a repeated plain poll of the change feed from this process's memory; see the module."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not plain_poll(request):
            return get_response(request)
        answer = _from_memory(request)
        if answer is not None:
            return answer
        response = get_response(request)
        _record(request, response)
        return response

    return middleware


def plain_poll(request: HttpRequest) -> bool:
    """A GET of the feed's own path carrying no credentials and asking for plain JSON."""
    meta = request.META
    return (request.method == "GET" and request.path_info == _feed_path(settings.ROOT_URLCONF)
            and not meta.get("HTTP_COOKIE") and not meta.get("HTTP_AUTHORIZATION")
            and meta.get("HTTP_ACCEPT") in PLAIN_ACCEPT and "format" not in request.GET)


@cache
def _feed_path(urlconf: str) -> str | None:
    # The path (as in PATH_INFO) that resolves to the feed; None (never matched) if another view
    # takes it or the URLs have no feed.
    resolver = get_resolver(urlconf)
    try:
        path = "/" + resolver.reverse("api-changes")
        view = getattr(resolver.resolve(path).func, "view_class", None)
    except (NoReverseMatch, Resolver404):
        return None
    return path if view is ChangeFeedView else None


def _kept(request: HttpRequest, etag: str) -> KeptPage | None:
    try:
        host = request.get_host()
    except DisallowedHost:  # the ordinary path refuses it (400) and logs it, as it always has
        return None
    return kept_pages.get(kept_key(request.scheme, host, etag))


def _from_memory(request: HttpRequest) -> HttpResponse | None:
    known = watch.known()
    if known is None:
        return None
    etag = etag_after(known, request.get_full_path(), OneJSONRenderer.media_type)
    page = _kept(request, etag)
    if page is None:
        return None
    answer = precondition(request, etag=etag)
    headers = page.sent.get(200 if answer is None else answer)
    if headers is None or not _anonymous_within_budget(request):
        return None
    if answer == 304:
        return HttpResponseNotModified(headers=headers)
    return HttpResponse(page.body, headers=headers)


def _anonymous_within_budget(request: HttpRequest) -> bool:
    # The view's own authenticators and throttles, on the Request DRF would make of it.
    view = ChangeFeedView()
    asked = Request(request, authenticators=view.get_authenticators())
    try:
        if asked.user.is_authenticated:
            return False
    except APIException:  # refused credentials: DRF's answer, from the ordinary path
        return False
    return view.within_budget(asked)


def _record(request: HttpRequest, response: HttpResponse) -> None:
    status = response.status_code
    if status not in _RECORDED or response.cookies or response.streaming or not response.has_header("ETag"):
        return
    page = _kept(request, response["ETag"])
    if page is None or status in page.sent:
        return
    if status == 200 and response.content != page.body:
        return  # not the kept page's bytes that went out: never replayed
    page.sent[status] = dict(response.items())
