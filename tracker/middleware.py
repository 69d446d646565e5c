"""Response headers every page carries: a strict Content-Security-Policy."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

# Pages are server-rendered and need no third-party origin. The API docs page
# (drf-spectacular's Swagger UI) loads its assets from the same origin too.
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def content_security_policy(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware


def refuse_nul_in_query(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL character in a query parameter is a 400, not a database error.

    PostgreSQL text cannot hold U+0000, so a filter such as `?story=%00` would
    otherwise fail deep in a query with a 500.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        refused = [key for key, values in request.GET.lists()
                   if "\x00" in key or any("\x00" in v for v in values)]
        if refused:
            message = "Query parameters cannot contain NUL (U+0000) characters."
            if request.path.startswith("/api/"):
                fields = {key.replace("\x00", "\ufffd"): [message] for key in refused}
                return JsonResponse({"detail": message, **fields}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware
