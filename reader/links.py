"""Where a reader finds a story, a development or a claim: the one helper for their public links.

Every surface (pages, feeds, digests, the API, live events) links through
these functions, so a claim's place (its own page, with its history; the
development's page keeps a `#claim-<id>` anchor too) is decided once, here.
They give site paths; `tracker.site.absolute` makes a link that works off the site (email, feeds, webhooks).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.urls import reverse

from tracker.site import absolute

__all__ = ["absolute", "capture_url", "claim_anchor_url", "claim_url", "development_url", "memento_url",
           "source_timegate_url", "source_timemap_url", "story_url", "timemap_url"]


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


# --- Memento (RFC 7089, docs/memento.md) ----------------------------------------


def memento_url(original: str, moment: dt.datetime) -> str:
    """A page as it was known at `moment` (exact to the microsecond): '/stories/x/?as_of=2023-09-20T...'."""
    return f"{original}?as_of={quote(moment.isoformat(), safe=':')}"


def timemap_url(original: str, form: str = "link") -> str:
    """The TimeMap of a page or API resource: '/timemap/link/stories/x/' (form: 'link' or 'json')."""
    return reverse("memento:timemap", args=[form, original.lstrip("/")])


def capture_url(source_id: int, capture_id: int) -> str:
    """One archived copy of a source: '/sources/9/archive/?capture=4'."""
    return reverse("pages:source_archive", args=[source_id]) + f"?capture={capture_id}"


def source_timegate_url(source_id: int) -> str:
    """The TimeGate over a source's captures: '/sources/9/timegate/'."""
    return reverse("memento:source_timegate", args=[source_id])


def source_timemap_url(source_id: int, form: str = "link") -> str:
    """The TimeMap of a source's captures: '/sources/9/timemap/link'."""
    return reverse("memento:source_timemap", args=[source_id, form])
