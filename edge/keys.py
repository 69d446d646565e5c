"""Surrogate keys: the names a cached response carries (`xkey`) and a revision purges.

One scheme for both sides, so they cannot drift apart:
- `story-<id>`: every page, feed and API read scoped to that story (its
  timeline, changelog, feeds, timeline.json, its developments' pages);
- `<model>-<id>` (development-7, claim-3, actor-2, source-9): reads of one item;
- `<model>s` (stories, developments, claims, actors, sources): lists of that
  model, and pages that show items shared across stories (actors, sources);
- `changes`: the change feed.
A revision purges `changes`, the key of every item it wrote and of the lists
of their models, and the story it belongs to (with `stories`, the list that
shows each story's latest change). Pages of other stories keep their objects.
"""

from __future__ import annotations

from collections.abc import Iterable

from claims.models import Claim
from events.models import Development, StoryRevision
from record.registry import versioned_models
from record.selectors import versions_written_by

CHANGES = "changes"
STORIES = "stories"
SHARED_ITEMS = ("actors", "sources")  # shown on the pages of every story that cites them


def item_key(name: str, pk: int) -> str:
    return f"{name}-{pk}"


def story_key(story_id: int) -> str:
    return item_key("story", story_id)


def list_key(model) -> str:
    name = model._meta.model_name
    return name[:-1] + "ies" if name.endswith("y") else name + "s"


def story_page_keys(story_id: int, *, development_id: int | None = None,
                    shows_claims: bool = False) -> list[str]:
    """The keys of a public page of one story (optionally of one of its developments)."""
    keys = [story_key(story_id)]
    if development_id is not None:
        keys.append(item_key("development", development_id))
    if shows_claims:
        keys += SHARED_ITEMS
    return keys


def revision_keys(revision_id: int) -> list[str]:
    """Every key whose responses may change when revision `revision_id` commits."""
    keys = {CHANGES}
    story_ids = set(StoryRevision.objects.filter(revision_id=revision_id).values_list("story_id", flat=True))
    for model in versioned_models():
        name = model._meta.model_name
        fields = ["id"] + {Development: ["story_id"], Claim: ["development_id"]}.get(model, [])
        rows = list(versions_written_by(model, revision_id=revision_id).values_list(*fields))
        if not rows:
            continue
        keys.add(list_key(model))
        keys.update(item_key(name, row[0]) for row in rows)
        if model is Development:
            story_ids.update(row[1] for row in rows)
        if model is Claim:
            development_ids = {row[1] for row in rows}
            keys.update(item_key("development", pk) for pk in development_ids)
            story_ids.update(Development.objects.filter(id__in=development_ids)
                             .values_list("story_id", flat=True))
        if name == "story":
            story_ids.update(row[0] for row in rows)
    if story_ids:
        keys.add(STORIES)
        keys.update(story_key(pk) for pk in story_ids)
    return sorted(keys)


def header_value(keys: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(keys))  # space-separated, as vmod xkey reads it; order kept
