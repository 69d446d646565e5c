"""What a published draft became: the version it wrote, its diff in the desk and the reader's page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from claims.models import Claim
from drafts.models import Draft
from events.models import Briefing, Development, Story
from reader.links import claim_url, development_url, story_url
from reader.text import ShownChange, reader_diff
from record.models import Versioned
from record.selectors import item_versions


@dataclass(frozen=True)
class Published:
    version: int
    changes: list[ShownChange]
    diff_url: str
    public_url: str | None


def public_url(item: Versioned) -> str | None:
    """Where a reader sees the item (None: it has no page of its own)."""
    if isinstance(item, Story):
        return story_url(item.slug)
    if isinstance(item, Briefing):
        return story_url(item.story.slug)
    if isinstance(item, Development):
        return development_url(item.story.slug, item.pk)
    if isinstance(item, Claim):
        return claim_url(item.development.story.slug, item.development_id, item.pk)
    return None


def published_as(draft: Draft, item: Versioned | None) -> Published | None:
    """The version the draft's revision wrote, diffed against the one before (two rows, two queries)."""
    if draft.revision_id is None or item is None:
        return None
    model = type(item)
    written = item_versions(model, item.pk).filter(revision_id=draft.revision_id).first()
    if written is None:
        return None
    rows = list(item_versions(model, item.pk, with_sets=True).filter(
        version__in=[written.version - 1, written.version]))
    older, newer = (rows[0], rows[-1]) if len(rows) == 2 else (None, rows[-1])
    opts = model._meta
    diff = reverse(f"admin:{opts.app_label}_{opts.model_name}_diff", args=[item.pk])
    return Published(
        version=written.version, changes=reader_diff(older, newer),
        diff_url=f"{diff}?from={max(written.version - 1, 1)}&to={written.version}",
        public_url=public_url(item),
    )
