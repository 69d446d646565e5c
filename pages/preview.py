"""A proposed development or claim, not yet published, shown in its public page's own layout.

The desk's draft preview renders through here: the same templates and page
objects as the public pages, with a banner, never cached, and nothing read
as of a revision the item does not have yet.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from claims.models import Claim
from claims.selectors import claim_threads
from events.models import Actor, Development, Source

from .selectors import ClaimPage, DevelopmentPage


def _private(response: HttpResponse) -> HttpResponse:
    """Seen by editors only: no shared cache (the edge, a proxy) may keep it."""
    add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
    return response


def development_preview(request: HttpRequest, development: Development, *, actors: list[Actor],
                        sources: list[Source], banner: str, back_url: str) -> HttpResponse:
    """A development as it would read once published; its claims are those it has now."""
    threads = claim_threads([development.pk]).get(development.pk, []) if development.pk else []
    page = DevelopmentPage(development=development, threads=threads, labels=[], claim_labels={},
                           first_at=None, actors=actors, sources=sources)
    return _private(render(request, "pages/development_detail.html", {
        "story": development.story, "development": development, "page": page,
        "preview": banner, "preview_back": back_url}))


def claim_preview(request: HttpRequest, claim: Claim, *, sources: list[Source], banner: str,
                  back_url: str) -> HttpResponse:
    """A claim as it would read once published, on the layout of its own page."""
    actor = claim.actor
    actor.affiliation_cached = actor.affiliation  # what claims.selectors attaches to a stored claim
    claim.actor_cached, claim.sources_cached = actor, sources
    page = ClaimPage(claim=claim, development=claim.development, labels=[], first_at=None,
                     verification=[])
    return _private(render(request, "pages/claim_detail.html", {
        "story": claim.development.story, "development": claim.development, "claim": claim,
        "page": page, "claim_labels": {}, "preview": banner, "preview_back": back_url}))
