"""schema.org JSON-LD for the public pages: one object per page, built from what the page loaded.

The story page is a `LiveBlogPosting` whose updates are its developments, a
development page the `BlogPosting` it is in that live blog, a claim page one
`ClaimReview`. Every time is on the publication clock (when the tracker
recorded a thing), never the clock of when it happened; a claim's own date
(`made_on`, when the actor said it) is the one exception, as schema.org's
`Claim.datePublished` asks. The rating scale and the no-verdict rule are in
docs/pages-and-feeds.md ("Structured data").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from claims.models import Claim
from events.models import Actor, Story
from reader.links import absolute, claim_url, development_url, source_archive_url
from reader.text import value_text

from .selectors import ClaimPage, DevelopmentPage, StoryPage

CONTEXT = "https://schema.org"

# A claim's verification as a rating: higher is truer, as schema.org's Rating reads.
# "unverified" has no rating (no verdict yet), and neither has a retracted claim.
WORST_RATING, BEST_RATING = 1, 5
REVIEW_RATINGS = {
    Claim.Verification.REFUTED: 1,  # shown to be false
    Claim.Verification.DISPUTED: 3,  # contested: neither established nor ruled out
    Claim.Verification.CONFIRMED: 5,  # shown to be true
}


def _when(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """The object without the properties it has no value for (JSON-LD drops nulls anyway)."""
    return {name: value for name, value in data.items() if value not in (None, "", [])}


def newsroom() -> dict[str, str]:
    """The newsroom that publishes the record (settings NEWSROOM_NAME, NEWSROOM_URL)."""
    return {"@type": "Organization", "name": settings.NEWSROOM_NAME, "url": settings.NEWSROOM_URL}


def _blog_posting(slug: str, development, first_at, last_at) -> dict[str, Any]:
    return _without_empty({
        "@type": "BlogPosting", "headline": development.title, "articleBody": development.summary,
        "url": absolute(development_url(slug, development.id)),
        "datePublished": _when(first_at), "dateModified": _when(last_at or first_at),
    })


def story_jsonld(page: StoryPage, *, concluded_at: dt.datetime | None = None) -> dict[str, Any]:
    """The story as a LiveBlogPosting; `concluded_at`: when the tracker recorded it as concluded."""
    story = page.story
    first, last = page.first_moment, page.shown_moment
    blog = {
        "@context": CONTEXT, "@type": "LiveBlogPosting",
        "headline": story.title, "description": story.summary, "url": absolute(story.get_absolute_url()),
        "publisher": newsroom(), "author": newsroom(),
        "datePublished": _when(first.created_at if first else None),
        "dateModified": _when(last.created_at if last else None),
        # Coverage is the live blog's own span: from its first revision, to the revision
        # that concluded the story (none while it is developing).
        "coverageStartTime": _when(first.created_at if first else None),
        "coverageEndTime": _when(concluded_at) if story.status == Story.Status.CONCLUDED else None,
        "liveBlogUpdate": [_blog_posting(story.slug, entry.development, entry.first_at, entry.last_at)
                           for entry in page.entries],
    }
    return _without_empty(blog)


def development_jsonld(page: DevelopmentPage) -> dict[str, Any]:
    """A development as the BlogPosting it is in its story's live blog."""
    development = page.development
    story = development.story
    return {"@context": CONTEXT,
            **_blog_posting(story.slug, development, page.first_at, page.last_at),
            "author": newsroom(), "publisher": newsroom(),
            "isPartOf": {"@type": "LiveBlogPosting", "headline": story.title,
                         "url": absolute(story.get_absolute_url())}}


def _actor(actor: Actor | None, *, with_affiliation: bool = True) -> dict[str, Any] | None:
    """A Person (job title, affiliation) or an Organization (parent organisation)."""
    if actor is None:
        return None
    person = actor.kind == Actor.Kind.PERSON
    node = {"@type": "Person" if person else "Organization", "name": actor.name}
    if actor.role:
        node["jobTitle" if person else "description"] = actor.role
    affiliation = getattr(actor, "affiliation_cached", None)
    if with_affiliation and affiliation is not None:
        node["affiliation" if person else "parentOrganization"] = _actor(affiliation, with_affiliation=False)
    return node


def _appearance(source) -> dict[str, Any]:
    """Where the claim was reported, with our capture of it when there is one."""
    return _without_empty({
        "@type": "CreativeWork", "headline": source.title, "url": source.url,
        "publisher": {"@type": "Organization", "name": source.outlet},
        "datePublished": source.published_on.isoformat() if source.published_on else None,
        "archivedAt": absolute(source_archive_url(source.id)) if source.archived_at else None,
    })


def _quote(claim) -> dict[str, Any]:
    """The claim's words: the original with its `inLanguage`, the English translation beside it."""
    if claim.quote_original:
        found: dict[str, Any] = {"text": claim.quote_original, "inLanguage": claim.quote_language}
        if claim.quote and claim.quote != claim.quote_original:
            found["workTranslation"] = _without_empty({
                "@type": "CreativeWork", "text": claim.quote, "inLanguage": "en",
                "translator": ({"@type": "Organization", "name": claim.quote_translator}
                               if claim.quote_translator else None)})
        return found
    return {"text": claim.quote, "inLanguage": "en"} if claim.quote else {}


def review_rating(claim) -> dict[str, Any] | None:
    """The verdict as a schema.org Rating; None when there is none (unverified, or retracted)."""
    value = REVIEW_RATINGS.get(claim.verification)
    if value is None or claim.retracted:
        return None
    return {"@type": "Rating", "ratingValue": value, "bestRating": BEST_RATING, "worstRating": WORST_RATING,
            "alternateName": value_text(Claim, "verification", claim.verification)}


def claim_jsonld(page: ClaimPage) -> dict[str, Any]:
    """The claim page's one ClaimReview. Without a verdict it has no reviewRating: never a made-up one."""
    claim, development = page.claim, page.development
    slug = development.story.slug
    rating = review_rating(claim)
    # Published when the current verdict was (the last change of verification); before any, when
    # the claim was first published.
    verdict_at = page.verification[-1].at if rating and page.verification else page.first_at
    return _without_empty({
        "@context": CONTEXT, "@type": "ClaimReview",
        "url": absolute(claim_url(slug, development.id, claim.id)),
        "claimReviewed": claim.paraphrase,
        "author": newsroom(), "publisher": newsroom(),
        "datePublished": _when(verdict_at), "dateModified": _when(page.last_at or page.first_at),
        "reviewBody": claim.verification_note,
        "itemReviewed": _without_empty({
            "@type": "Claim", "datePublished": claim.made_on.isoformat(),
            "author": _actor(claim.actor_cached),
            "appearance": [_appearance(source) for source in claim.sources_cached],
            "about": {"@type": "Event", "name": development.title,
                      "url": absolute(development_url(slug, development.id))},
            **_quote(claim),
        }),
        "reviewRating": rating,
    })
