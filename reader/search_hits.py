"""The one shape of a search hit for readers (page, feed and API): its link, its snippet and its history."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.urls import reverse

from search.models import Entry
from search.selectors import Results
from search.snippets import snippet

from .links import claim_url, development_url, story_url


def hit_url(entry: Entry, slugs: dict[int, str]) -> str | None:
    """Where a reader sees the item a hit is in (None: it has no public page)."""
    slug = slugs.get(entry.story_id)
    if entry.type == "development" and slug:
        return development_url(slug, entry.item_id)
    if entry.type == "claim" and slug:
        return claim_url(slug, entry.development_id, entry.item_id)
    if entry.type in ("story", "briefing") and slug:
        return story_url(slug)
    if entry.type == "actor":
        return reverse("api-actor-detail", args=[entry.item_id])
    if entry.type == "source":
        return reverse("api-source-detail", args=[entry.item_id])
    return None


def _snippet_text(entry: Entry, words: list[str]) -> str:
    # The passage that says it: the body, else the words in their original language, else the title.
    for text in (entry.body, entry.original):
        if text and any(marked for _, marked in snippet(text, words)):
            return text
    return entry.body or entry.title


def _diff_url(entry: Entry, slug: str | None, removed_version: int | None) -> str | None:
    if entry.type != "development" or not slug or removed_version is None:
        return None
    base = reverse("pages:development_diff", args=[slug, entry.item_id])
    return f"{base}?from={entry.version}&to={removed_version}"


def hit_rows(results: Results, *, history: bool) -> list[dict[str, Any]]:
    """Each hit as readers get it: type, id, url, title, snippet (and its marked pieces), history."""
    rows = []
    for hit in results.hits:
        entry, words = hit.entry, results.query.words
        pieces = snippet(_snippet_text(entry, words), words)
        row = {"type": entry.type, "id": entry.item_id, "url": hit_url(entry, results.story_slugs),
               "title": entry.title, "snippet": "".join(piece for piece, _ in pieces), "pieces": pieces,
               "title_pieces": snippet(entry.title, words, width=400), "version": entry.version,
               "snippet_is_title": not (entry.body or entry.original),
               "development_id": entry.item_id if entry.type == "development" else entry.development_id,
               "story": results.story_slugs.get(entry.story_id), "status": entry.status}
        if history:
            first = hit.first
            row.update(first_revision=first.revision_id, first_recorded_at=first.recorded_at,
                       first_recorded_by=first.recorded_by, first_kind=first.revision_kind,
                       first_version=first.version, last_revision=hit.removed_revision,
                       removed_at=hit.removed_at, removed_version=hit.removed_version,
                       diff_url=_diff_url(entry, row["story"], hit.removed_version))
        rows.append(row)
    return rows


def search_etag(request_params: dict[str, str], kind: str) -> str:
    """A search's validator: its parameters and the index's latest entry (a new one per version indexed)."""
    latest = Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    digest = hashlib.sha256(json.dumps(sorted(request_params.items())).encode()).hexdigest()[:16]
    return f'W/"{kind}-{latest}-{digest}"'
