"""The one conditional GET: answer 304 (or 412) from the validators, before the body is built.

Pages, feeds and the API each name their validators (an ETag; feeds also a
Last-Modified) and how to build the body. `conditional_get` evaluates the
request's preconditions in the order RFC 9110 §13.2.2 gives:

1. If-Match (strong comparison; `*` matches any current representation): 412 when false;
2. only without If-Match, If-Unmodified-Since (ignored when there is no Last-Modified): 412 when false;
3. If-None-Match (weak comparison; `*` matches): 304 when false;
4. only without If-None-Match, If-Modified-Since (ignored when there is no Last-Modified): 304 when false.

So an ETag, when the client sends one, decides; a date is only a fallback.
The body is built only when no precondition answers. The validators go on
the 200, the 304 and the 412; an error the view builds (400, 404) carries
none: it is not the representation they name. Edge headers (Cache-Control,
surrogate keys) are each surface's to add.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.log import log_response

__all__ = ["conditional_get", "precondition"]

# The answers that carry the validators: the representation, or what the client holds of it.
_VALIDATED = (200, 304, 412)


def _weak(tag: str) -> str:
    return tag.removeprefix("W/")


def _if_match(header: str, etag: str | None) -> bool:
    tags = parse_etags(header)
    if etag is None:
        return False
    if tags == ["*"]:
        return True
    return not etag.startswith("W/") and etag in tags  # a weak tag never matches strongly


def _if_none_match(header: str, etag: str | None) -> bool:
    tags = parse_etags(header)
    if etag is None:
        return True
    return tags != ["*"] and _weak(etag) not in {_weak(tag) for tag in tags}


def precondition(request: HttpRequest, *, etag: str | None = None,
                 last_modified: int | None = None) -> int | None:
    """The status a read's preconditions answer with (412 or 304), or None: build the body.

    `last_modified` is in whole seconds since the epoch (HTTP dates keep no more).
    """
    headers = request.headers
    unmodified_since = _date(headers.get("If-Unmodified-Since"), last_modified)
    modified_since = _date(headers.get("If-Modified-Since"), last_modified)
    if "If-Match" in headers:
        if not _if_match(headers["If-Match"], etag):
            return 412
    elif unmodified_since is not None and last_modified > unmodified_since:
        return 412
    if "If-None-Match" in headers:
        if not _if_none_match(headers["If-None-Match"], etag):
            return 304
    elif modified_since is not None and last_modified <= modified_since:
        return 304
    return None


def _date(header: str | None, last_modified: int | None) -> int | None:
    # A date precondition is ignored when it is not a valid HTTP date or the read has no Last-Modified.
    if header is None or last_modified is None:
        return None
    return parse_http_date_safe(header)


def conditional_get(
    request: HttpRequest,
    build: Callable[[], HttpResponse],
    *,
    etag: str | None = None,
    last_modified: dt.datetime | None = None,
    not_modified: Callable[[], HttpResponse] = HttpResponseNotModified,
) -> HttpResponse:
    """A 304 from `not_modified()`, or a 412, when the request's preconditions answer; else `build()`.

    `etag` is quoted (a weak one as `W/"..."`); `not_modified` makes the 304
    the surface answers with (the API's is a DRF Response).
    """
    seconds = None
    if last_modified is not None:
        if timezone.is_naive(last_modified):
            last_modified = timezone.make_aware(last_modified, dt.UTC)
        seconds = int(last_modified.timestamp())
    answer = precondition(request, etag=etag, last_modified=seconds)
    if answer == 304:
        response = not_modified()
    elif answer == 412:
        response = HttpResponse(status=412)
        log_response("Precondition Failed: %s", request.path, response=response, request=request)
    else:
        response = build()
    if response.status_code in _VALIDATED:
        if etag is not None:
            response["ETag"] = etag
        if seconds is not None:
            response["Last-Modified"] = http_date(seconds)
    return response
