"""Where a reader finds a story, a development or a claim: the one helper for their public links.

Every surface (pages, feeds, digests, the API, live events) links through
these functions, so a claim's place (today an anchor on its development's
page) is decided once, here. They give site paths; `tracker.site.absolute`
makes a link that works off the site (email, feeds, webhooks).
"""

from __future__ import annotations

from django.urls import reverse

from tracker.site import absolute

__all__ = ["absolute", "claim_url", "development_url", "story_url"]


def story_url(slug: str) -> str:
    """The story page: '/stories/karabakh-2023/'."""
    return reverse("pages:story", args=[slug])


def development_url(slug: str, development_id: int) -> str:
    """A development's page: '/stories/karabakh-2023/developments/7/'."""
    return reverse("pages:development", args=[slug, development_id])


def claim_url(slug: str, development_id: int, claim_id: int) -> str:
    """A claim where a reader sees it: an anchor on its development's page ('.../7/#claim-3')."""
    return f"{development_url(slug, development_id)}#claim-{claim_id}"
