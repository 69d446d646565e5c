"""Embed cards: a development or a claim in a phone-sized frame, and the oEmbed answer that offers it.

A card is read in a fixed number of queries; its oEmbed answer (oembed.com,
type `rich`) is an `<iframe>` from our own origin, so the embedding page runs
none of our markup and the card can update itself from the story's live stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.html import format_html

from claims.models import Claim
from events.models import Development, Story
from reader.links import (
    EmbeddableItem,
    absolute,
    claim_embed_url,
    claim_url,
    development_embed_url,
    development_url,
)

from .selectors import ItemChanges, Label, item_changes

# Each card's size in CSS pixels: narrow enough for a phone (a 360 px column fits a 375 px
# screen with its margins), tall enough for the card's text at that width.
CARD_SIZES = {"development": (360, 300), "claim": (360, 340)}
SMALLEST = 120  # a card narrower or shorter than this cannot show its headline: there is none that small
CACHE_AGE = 60 * 60  # oEmbed `cache_age`: the card in the frame updates itself, the answer rarely changes


@dataclass
class Card:
    kind: str  # "development" or "claim"
    story: Story
    development: Development
    claim: Claim | None
    labels: list[Label]
    page_path: str  # the item's own page, where the card links back to
    embed_path: str  # the card itself

    @property
    def title(self) -> str:
        if self.claim is not None:
            return f"A claim by {self.claim.actor.name}"
        return self.development.title

    @property
    def corrected(self) -> Label | None:
        return next((label for label in self.labels if label.word == "Corrected"), None)


def _labels(changes: ItemChanges, *, retracted: bool) -> list[Label]:
    # As on the item's own page: "Retracted" only while it is.
    return [label for label in changes.label_list() if label.word != "Retracted" or retracted]


def development_card(slug: str, pk: int) -> Card:
    """The card of a development (Http404 if the story has no such development); 3 queries."""
    development = get_object_or_404(Development.objects.select_related("story"), pk=pk, story__slug=slug)
    changes, _ = item_changes([development.pk])
    labels = _labels(changes.get(development.pk, ItemChanges()), retracted=development.is_retracted)
    return Card("development", development.story, development, None, labels,
                development_url(slug, pk), development_embed_url(slug, pk))


def claim_card(slug: str, pk: int) -> Card:
    """The card of a claim, with who made it (Http404 if the story has no such claim); 3 queries."""
    claim = get_object_or_404(Claim.objects.select_related("development__story", "actor__affiliation"),
                              pk=pk, development__story__slug=slug)
    _, changes = item_changes([claim.development_id])
    labels = _labels(changes.get(claim.pk, ItemChanges()), retracted=claim.retracted)
    return Card("claim", claim.development.story, claim.development, claim, labels,
                claim_url(slug, claim.development_id, pk), claim_embed_url(slug, pk))


def card_of(item: EmbeddableItem) -> Card:
    return (claim_card if item.kind == "claim" else development_card)(item.slug, item.pk)


def card_size(kind: str, *, maxwidth: int | None, maxheight: int | None) -> tuple[int, int] | None:
    """The frame's size: the card's own, narrowed to what the consumer allows; None if that is
    less than SMALLEST (the oEmbed answer may never exceed maxwidth or maxheight)."""
    width, height = CARD_SIZES[kind]
    width, height = min(width, maxwidth or width), min(height, maxheight or height)
    return (width, height) if min(width, height) >= SMALLEST else None


def oembed_answer(card: Card, size: tuple[int, int]) -> dict[str, Any]:
    """The oEmbed 1.0 `rich` answer for a card: its iframe at `size` (card_size)."""
    width, height = size
    frame = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" style="border:0;max-width:100%" loading="lazy" '
        'sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>',
        absolute(card.embed_path), width, height, card.title)
    return {
        "version": "1.0", "type": "rich", "title": card.title,
        "author_name": settings.NEWSROOM_NAME, "author_url": settings.NEWSROOM_URL,
        "provider_name": settings.NEWSROOM_NAME, "provider_url": settings.NEWSROOM_URL,
        "cache_age": CACHE_AGE, "html": str(frame), "width": width, "height": height,
    }

