"""The headers that let a shared cache keep a public response, and refuse it a private one.

Surfaces call `shared(response, keys)` on what anyone may be served from the
edge; `private_requests` (middleware) overrides that for any request carrying
a session, a CSRF cookie or Authorization, and for the desk, whatever a view said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .keys import header_value

PRIVATE = "private, no-store"
# What never changes once served (the log's full tiles): kept a year by every cache.
IMMUTABLE = "public, max-age=31536000, immutable"
# The latest revision a response was built after: read before the body, so the
# body shows at least that much. The edge stores no response older than its
# last purge (deploy/varnish/default.vcl), and never shows the header.
REVISION_HEADER = "X-Revision"


def shared_cache_control() -> str:
    # max-age=0: browsers revalidate every time (a cheap 304 from the edge), so
    # only the edge, which is purged on commit, keeps a copy for s-maxage.
    return (f"public, max-age=0, s-maxage={settings.EDGE_S_MAXAGE}, "
            f"stale-while-revalidate={settings.EDGE_STALE_WHILE_REVALIDATE}, "
            f"stale-if-error={settings.EDGE_STALE_IF_ERROR}")


def shared(response: HttpResponse, keys: Iterable[str] = ()) -> HttpResponse:
    """Mark a public read (200 or 304) cacheable by the edge, under surrogate `keys`."""
    if response.status_code in (200, 304):
        response["Cache-Control"] = shared_cache_control()
        value = header_value(keys)
        if value:
            response["xkey"] = value
    return response


def lasting(response: HttpResponse) -> HttpResponse:
    """A public read whose content never changes (a Memento): the edge keeps it for
    EDGE_LASTING_S_MAXAGE, under the surrogate keys it already carries, so a revision
    of its item still purges it (its links to the next and last Mementos change)."""
    if response.status_code in (200, 304) and "xkey" in response:
        response["Cache-Control"] = shared_cache_control().replace(
            f"s-maxage={settings.EDGE_S_MAXAGE}", f"s-maxage={settings.EDGE_LASTING_S_MAXAGE}")
    return response


def immutable(response: HttpResponse, keys: Iterable[str] = ()) -> HttpResponse:
    """Mark a 200 whose bytes never change at its URL: any cache keeps it for a year, unrevalidated."""
    if response.status_code == 200:
        response["Cache-Control"] = IMMUTABLE
        value = header_value(keys)
        if value:
            response["xkey"] = value
    return response


def built_after(response: HttpResponse, revision: int) -> HttpResponse:
    """Say which revision `response` was built after (read before the body was); see REVISION_HEADER."""
    response[REVISION_HEADER] = str(revision)
    return response


def is_private(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return bool(
        request.headers.get("Authorization")
        or settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies
        or request.path.startswith("/admin/")
    )


def private_requests(get_response: Callable[[HttpRequest], HttpResponse]):
    """What a signed-in editor, a form or the desk sees is never stored by any cache."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # A response that sets a cookie is someone's own, public URL or not.
        if is_private(request) or response.cookies:
            response["Cache-Control"] = PRIVATE
            if "xkey" in response:
                del response["xkey"]
        return response

    return middleware
