"""The change feed (/api/changes/): every revision after `after`, and pollers answered from memory.

Pollers ask the same question until a revision lands. Each page's ETag names
the latest revision id (api.common.read_etag), which each process knows
without a round trip while its listener vouches for it (edge/watch.py), so
each process then keeps the pages it has served by ETag: a repeated poll is
answered (200 or 304) before DRF, the database or Redis are asked anything.
The copy is exactly what DRF sent (body and headers), and it is kept only for
anonymous JSON reads; anything else (a token, a session, another Accept, a
429, no listener: SQLite) takes the ordinary path. Once a kept page's answer
has gone out through every middleware, the next such poll is replayed before
the middlewares too (api/repeat_polls.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from edge import watch
from edge.headers import is_private, shared
from edge.keys import CHANGES
from events.selectors import story_revisions
from reader.conditional import conditional_get, precondition
from record.changes import change_feed
from record.models import Revision

from .common import read_etag
from .renderers import OneJSONRenderer
from .serializers import ChangeFeedPageSerializer, ChangeFeedQuerySerializer

CHANGE_FEED_CACHE_SECONDS = 60 * 60
# What DRF negotiates to JSON with no further choice to make (the API renders JSON only).
PLAIN_ACCEPT = {None, "*/*", "application/json"}
# DRF's headers a kept page replays (a 304 has no Content-Type); the edge's and the
# middleware's are added again on the way out.
_REPLAYED = ("Vary", "Allow")


@dataclass(frozen=True)
class KeptPage:
    """What DRF sent for one ETag; its replays' headers are laid out once, on first use."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    # What went out for it after every middleware, by status (200, 304): api.repeat_polls
    # records it on the way out and replays it before the middlewares on the way in.
    sent: dict[int, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def _ok_headers(self) -> dict[str, str]:
        # Written by the ordinary path's own steps (the ETag as reader.conditional sets it, then
        # the edge's), once: each replay then copies a finished list.
        response = HttpResponse(headers=dict(self.headers), content_type=OneJSONRenderer.media_type)
        response["ETag"] = self.etag
        return dict(_edge(response).items())

    @cached_property
    def _not_modified_headers(self) -> dict[str, str]:
        response = HttpResponseNotModified(headers=dict(self.headers))
        response["ETag"] = self.etag
        return dict(_edge(response).items())

    def ok(self) -> HttpResponse:
        return HttpResponse(self.body, headers=self._ok_headers)

    def not_modified(self) -> HttpResponse:
        return HttpResponseNotModified(headers=self._not_modified_headers)


class KeptPages:
    """A thread-safe LRU of this process's pages by ETag, bounded in bytes (older revisions' fall out)."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, KeptPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, etag: str) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(etag)
            if page is not None:
                self._pages.move_to_end(etag)
            return page

    def put(self, etag: str, page: KeptPage) -> None:
        with self._lock:
            if (old := self._pages.pop(etag, None)) is not None:
                self._bytes -= len(old.body)
            self._pages[etag] = page
            self._bytes += len(page.body)
            while self._bytes > settings.API_CHANGES_LOCAL_BYTES and len(self._pages) > 1:
                self._bytes -= len(self._pages.popitem(last=False)[1].body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


kept_pages = KeptPages()


def _plain_anonymous_read(request) -> bool:
    return (request.method == "GET" and request.headers.get("Accept") in PLAIN_ACCEPT
            and "format" not in request.GET and not is_private(request))


@extend_schema(parameters=[ChangeFeedQuerySerializer], responses=ChangeFeedPageSerializer)
class ChangeFeedView(generics.GenericAPIView):
    """Every revision after `after`, in id order, with the items it changed and how.

    Keep `last_id` and ask again with `after=<last_id>`: no revision is ever
    skipped, even one committed while you were reading.
    """

    serializer_class = ChangeFeedPageSerializer
    pagination_class = None
    filter_backends: list = []

    _etag: str | None = None  # read once per request, before the body is built

    def dispatch(self, request, *args, **kwargs):
        # Only while this process's listener vouches for the latest revision (a memory read):
        # otherwise (SQLite, listener down) the ETag costs a round trip, and pages are not kept.
        if _plain_anonymous_read(request) and watch.known() is not None:
            etag = self._etag = read_etag(request, media_type=OneJSONRenderer.media_type)
            page = kept_pages.get(_kept_key(request, etag))
            if page is not None and self.within_budget(request):
                answer = precondition(request, etag=etag)
                if answer == 304:
                    return page.not_modified()
                if answer is None:
                    return page.ok()
                return _edge(conditional_get(request, page.ok, etag=etag, not_modified=page.not_modified))
        response = super().dispatch(request, *args, **kwargs)
        keep = getattr(self, "_keep", None)
        if keep is not None and response.status_code in (200, 304):
            kept_pages.put(keep, KeptPage(
                OneJSONRenderer().render(self._page), tuple((name, response[name]) for name in _REPLAYED
                                                         if response.has_header(name)), self._etag))
        return response

    def within_budget(self, request) -> bool:
        # The same throttles DRF would ask (they count locally: api/throttling.py); a refusal
        # takes the ordinary path, which refuses again with DRF's 429.
        return all(throttle.allow_request(request, self) for throttle in self.get_throttles())

    def get(self, request):
        query = ChangeFeedQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise exceptions.ValidationError(query.errors)
        after, story, limit = (query.validated_data.get(k) for k in ("after", "story", "limit"))

        def build():
            revisions = (story_revisions(story) if story else Revision.objects.all())
            entries = change_feed(after=after, revisions=revisions.select_related("story_link__story"),
                                  limit=limit)
            last_id = entries[-1].revision.id if entries else after
            params = {"after": last_id, "limit": limit, **({"story": story.slug} if story else {})}
            page = {
                "results": entries, "last_id": last_id, "has_more": len(entries) == limit,
                "next": request.build_absolute_uri(f"{reverse('api-changes')}?{urlencode(params)}"),
            }
            return ChangeFeedPageSerializer(page).data

        plain = _plain_anonymous_read(request) and request.accepted_media_type == OneJSONRenderer.media_type
        plain = plain and self._etag is not None
        etag = self._etag if plain else read_etag(request)

        def built_or_cached():
            # Built once per (request, latest revision), shared between processes in the cache.
            key = f"api:changes:{request.get_host()}:{etag}"
            data = cache.get(key)
            if data is None:
                data = build()
                cache.set(key, data, CHANGE_FEED_CACHE_SECONDS)
            return data

        if plain:  # kept by this process even when it answers 304: its next poll is answered from memory
            data = built_or_cached()
            self._keep, self._page = _kept_key(request, etag), data
            ok = lambda: Response(data)  # noqa: E731
        else:
            ok = lambda: Response(built_or_cached())  # noqa: E731
        return _edge(conditional_get(request, ok, etag=etag,
                                     not_modified=lambda: Response(status=status.HTTP_304_NOT_MODIFIED)))


def _kept_key(request, etag: str) -> str:
    return kept_key(request.scheme, request.get_host(), etag)


def kept_key(scheme: str, host: str, etag: str) -> str:
    """A kept page's key: the page's `next` is an absolute URL, so the scheme and host are part of it."""
    return f"{scheme}://{host}|{etag}"


def _edge(response):
    # As api.common.conditional: the edge may keep a 200 or a 304, a 200 under the feed's key.
    return shared(response, [CHANGES] if response.status_code == 200 else ())
