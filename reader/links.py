"""Where a reader finds a story, a development or a claim: the one helper for their public links.

Every surface (pages, feeds, digests, the API, live events) links through
these functions, so a claim's place (its own page, with its history; the
development's page keeps a `#claim-<id>` anchor too) is decided once, here.
They give site paths; `tracker.site.absolute` makes a link that works off the site (email, feeds, webhooks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlencode, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from tracker.site import absolute

__all__ = ["EmbeddableItem", "absolute", "capture_url", "claim_anchor_url", "claim_embed_url", "claim_url",
           "development_embed_url", "development_url", "embeddable_item", "memento_url", "oembed_url",
           "source_archive_url", "source_timegate_url", "source_timemap_url", "story_url", "timemap_url"]


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


def source_archive_url(source_id: int) -> str:
    """A cited source as the tracker captured it: '/sources/12/archive/'."""
    return reverse("pages:source_archive", args=[source_id])


# --- embeds (oEmbed) -----------------------------------------------------------

def development_embed_url(slug: str, development_id: int) -> str:
    """A development's embed card, framed by other sites: '/embed/stories/karabakh-2023/developments/7/'."""
    return reverse("pages:embed_development", args=[slug, development_id])


def claim_embed_url(slug: str, claim_id: int) -> str:
    """A claim's embed card: '/embed/stories/karabakh-2023/claims/3/'."""
    return reverse("pages:embed_claim", args=[slug, claim_id])


def oembed_url(page_url: str) -> str:
    """The oEmbed answer for one of our pages (an absolute URL): '/oembed?url=...&format=json'."""
    return f"{reverse('pages:oembed')}?{urlencode({'url': page_url, 'format': 'json'})}"


@dataclass(frozen=True)
class EmbeddableItem:
    kind: str  # "development" or "claim"
    slug: str
    pk: int


# The public pages an embed card exists for, by URL name.
_EMBEDDABLE = {"pages:development": "development", "pages:claim": "claim"}


def embeddable_item(url: str) -> EmbeddableItem | None:
    """The development or claim whose public page `url` is, read from the link alone (no query).

    None for anything else: another site (or ours with a user name in front of it:
    'https://site@elsewhere/'), another page of ours, a path no page has, a malformed URL.
    The item itself may still not exist: the caller looks it up.
    """
    try:
        parts, site = urlsplit(url.strip()), urlsplit(settings.SITE_URL)
        if (parts.scheme.lower() not in ("http", "https") or parts.username is not None
                or parts.hostname != site.hostname or parts.port != site.port):
            return None
        match = resolve(unquote(parts.path) or "/")
    except (ValueError, Resolver404):
        return None
    kind = _EMBEDDABLE.get(match.view_name)
    return EmbeddableItem(kind, match.kwargs["slug"], match.kwargs["pk"]) if kind else None


# --- Memento (RFC 7089, docs/memento.md) ----------------------------------------


def memento_url(original: str, moment: dt.datetime) -> str:
    """A page as it was known at `moment` (exact to the microsecond): '/stories/x/?as_of=2023-09-20T...'."""
    return f"{original}?as_of={quote(moment.isoformat(), safe=':')}"


def timemap_url(original: str, form: str = "link") -> str:
    """The TimeMap of a page or API resource: '/timemap/link/stories/x/' (form: 'link' or 'json')."""
    return reverse("memento:timemap", args=[form, original.lstrip("/")])


def capture_url(source_id: int, capture_id: int) -> str:
    """One archived copy of a source: '/sources/9/archive/?capture=4'."""
    return source_archive_url(source_id) + f"?capture={capture_id}"


def source_timegate_url(source_id: int) -> str:
    """The TimeGate over a source's captures: '/sources/9/timegate/'."""
    return reverse("memento:source_timegate", args=[source_id])


def source_timemap_url(source_id: int, form: str = "link") -> str:
    """The TimeMap of a source's captures: '/sources/9/timemap/link'."""
    return reverse("memento:source_timemap", args=[source_id, form])
