"""The site's public address: absolute links for email, feeds, webhooks and digests."""

from django.conf import settings


def absolute(path: str) -> str:
    """A site path (from reverse() or get_absolute_url()) as a link that works off the site.

    Read from settings at each call, so a changed SITE_URL (tests override it) applies at once.
    """
    return f"{settings.SITE_URL}{path}"
