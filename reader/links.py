"""Where a reader finds a story, a development or a claim: the one helper for their public links.

Every surface (pages, feeds, digests, the API, live events) links through
these functions, so a claim's place (its own page, with its history; the
development's page keeps a `#claim-<id>` anchor too) is decided once, here.
They give site paths; `tracker.site.absolute` makes a link that works off the site (email, feeds, webhooks).
"""

from __future__ import annotations

from django.urls import reverse

from tracker.site import absolute

__all__ = ["absolute", "claim_anchor_url", "claim_url", "development_url", "story_url"]


def story_url(slug: str) -> str:
    """The story page: '/stories/karabakh-2023/'."""
    return reverse("pages:story", args=[slug])


def development_url(slug: str, development_id: int) -> str:
    """A development's page: '/stories/karabakh-2023/developments/7/'."""
    return reverse("pages:development", args=[slug, development_id])


def claim_url(slug: str, development_id: int, claim_id: int) -> str:
    """A claim's own page: '/stories/karabakh-2023/claims/3/' (history/ and diff/ below it).

    `development_id` stays in the signature for its callers; the claim's anchor on
    the development's page is `claim_anchor_url`.
    """
    return reverse("pages:claim", args=[slug, claim_id])


def claim_anchor_url(slug: str, development_id: int, claim_id: int) -> str:
    """The claim where it sits among the other claims: '.../developments/7/#claim-3'."""
    return f"{development_url(slug, development_id)}#claim-{claim_id}"
