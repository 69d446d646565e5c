"""oEmbed (oembed.com) for development and claim pages, and the embed cards its answers frame.

`/oembed?url=<a development or claim page>&format=json` answers a `rich` card;
a URL that is not one of those pages (another site, another page, no such
item) is a JSON 404, `format=xml` (or any format but JSON) a 501, as the
spec says. The cards (`/embed/...`) are the only pages another site may frame.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404, JsonResponse
from django.shortcuts import render

from edge.headers import shared
from edge.keys import story_page_keys
from reader.links import embeddable_item
from reader.numbers import OutOfRange, bounded_int
from tracker.middleware import POLICY

from .embeds import Card, card_of, card_size, claim_card, development_card, oembed_answer
from .views import cached_per_revision

# The site's policy, but any page may frame the card (X-Frame-Options is lifted for it too).
EMBED_POLICY = POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")
MAX_DIMENSION = 10_000


def frameable(view):
    """Exempt a card from the site's no-framing rule; outside the page cache, so a cached copy is too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = EMBED_POLICY
        response["X-Robots-Tag"] = "noindex"  # the item's own page is the one to index
        response.xframe_options_exempt = True
        return response

    return wrapper


def readable_anywhere(view):
    """Embedding sites may ask from their readers' browsers: any origin may read the answer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _card_keys(card: Card) -> list[str]:
    return story_page_keys(card.story.id, development_id=card.development.id,
                           shows_claims=card.claim is not None)


def _card_page(request, card: Card):
    response = render(request, "pages/embed.html", {
        "card": card, "story": card.story, "development": card.development, "claim": card.claim,
        "after": request.latest_revision,  # set by cached_per_revision: its live stream's cursor
    })
    return shared(response, _card_keys(card))


@frameable
@cached_per_revision()
def embed_development(request, slug: str, pk: int):
    return _card_page(request, development_card(slug, pk))


@frameable
@cached_per_revision()
def embed_claim(request, slug: str, pk: int):
    return _card_page(request, claim_card(slug, pk))


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _dimension(request, name: str) -> int | None:
    raw = request.GET.get(name)
    return None if raw in (None, "") else bounded_int(raw, name=name, minimum=1, maximum=MAX_DIMENSION)


@readable_anywhere
@cached_per_revision("url", "format", "maxwidth", "maxheight")
def oembed(request):
    if request.GET.get("format", "json") != "json":
        return _error(501, "Only format=json is served.")
    try:
        maxwidth, maxheight = _dimension(request, "maxwidth"), _dimension(request, "maxheight")
    except OutOfRange as bad:
        return _error(400, str(bad))
    item = embeddable_item(request.GET.get("url", ""))
    if item is None:
        return _error(404, "Give the URL of a development or claim page of this site.")
    try:
        card = card_of(item)
    except Http404:
        return _error(404, f"There is no such {item.kind} in this story.")
    size = card_size(card.kind, maxwidth=maxwidth, maxheight=maxheight)
    if size is None:
        return _error(404, "No card is that small.")
    return shared(JsonResponse(oembed_answer(card, size)), _card_keys(card))
