"""Surrogate keys: the names a cached response carries (`xkey`) and a revision purges.

One scheme for both sides, so they cannot drift apart:
- `story-<id>`: every page, feed and API read scoped to that story (its
  timeline, changelog, feeds, timeline.json, its developments' pages);
- `<model>-<id>` (development-7, claim-3, actor-2, source-9): reads of one item;
- `<model>s` (stories, developments, claims, actors, sources): lists of that
  model, and pages that show items shared across stories (actors, sources);
- `changes`: the change feed;
- `log-tiles`: the public log's full tiles and bundles (immutable, never
  purged; the key names them for an operator), `log-head`: its checkpoint and
  partial tiles, purged when a new checkpoint is published.
A revision purges `changes`, the key of every item it wrote and of the lists
of their models, and the story it belongs to (with `stories`, the list that
shows each story's latest change). Pages of other stories keep their objects.
"""

from __future__ import annotations

from collections.abc import Iterable

from record.signals import RevisionSummary

CHANGES = "changes"
LOG_TILES = "log-tiles"
LOG_HEAD = "log-head"
STORIES = "stories"
SHARED_ITEMS = ("actors", "sources")  # shown on the pages of every story that cites them


def item_key(name: str, pk: int) -> str:
    return f"{name}-{pk}"


def story_key(story_id: int) -> str:
    return item_key("story", story_id)


def list_key(model) -> str:
    """The key of the lists of a model (given as a class or by its model name)."""
    name = model if isinstance(model, str) else model._meta.model_name
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


def revision_keys(summary: RevisionSummary) -> list[str]:
    """Every key whose responses may change when the summarised revision commits."""
    keys = {CHANGES}
    story_ids = summary.touched("story")
    if summary.links.get("story_id") is not None:
        story_ids.add(summary.links["story_id"])
    for item in summary.items:
        keys.add(list_key(item.model))
        keys.add(item_key(item.model, item.id))
        # The pages of what it belongs to show it (a claim on its development's page).
        keys.update(item_key(parent.model, parent.id) for parent in item.parents)
    if story_ids:
        keys.add(STORIES)
        keys.update(story_key(pk) for pk in story_ids)
    return sorted(keys)


def header_value(keys: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(keys))  # space-separated, as vmod xkey reads it; order kept
