"""The site's public address: absolute links for email, feeds, webhooks and digests."""

from django.conf import settings


def site_url(given: str | None, port: int) -> str:
    """SITE_URL when given; otherwise the address `make run` serves on, which follows PORT.

    The one place the default is decided (tracker/settings.py asks here), so
    `PORT=8001 make run` moves every absolute link with it: the printed login,
    feeds, the API's archive links, webhook payloads and email.
    """
    if given and given.strip():
        return given.strip().rstrip("/")
    return f"http://127.0.0.1:{port}"


def absolute(path: str) -> str:
    """A site path (from reverse() or get_absolute_url()) as a link that works off the site.

    Read from settings at each call, so a changed SITE_URL (tests override it) applies at once.
    """
    return f"{settings.SITE_URL}{path}"
