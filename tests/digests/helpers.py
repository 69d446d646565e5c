"""Small helpers for digest tests: edits through the services, windows by revision id."""

from __future__ import annotations

from events import services
from events.models import Development
from events.selectors import latest_revision_id


def revise(development: Development, author, *, minor: bool = False, kind: str = "update",
           message: str = "Edit", **changes) -> Development:
    development = Development.objects.get(pk=development.pk)
    return services.development_update(
        author=author, development=development, base_version=development.version,
        message=message, changes=changes, minor=minor, kind=kind,
    )


def cursor() -> int:
    return latest_revision_id()


def story_entry(content: dict, slug: str) -> dict:
    [story] = [s for s in content["stories"] if s["slug"] == slug]
    return story
