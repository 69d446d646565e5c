"""Response headers every page carries: a strict Content-Security-Policy."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
