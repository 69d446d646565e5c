"""Reads of stories and developments: timelines and a story "as of" a revision."""

from __future__ import annotations

from django.db.models import QuerySet, Subquery
from django.db.models.functions import Coalesce

from record.models import Revision
from record.selectors import versions_as_of

from .models import Briefing, Development, Story


def story_revisions(story: Story) -> QuerySet:
    """The revisions that belong to a story (through its `StoryRevision` links)."""
    return Revision.objects.filter(story_link__story=story)


def revision_story_slug(revision: Revision) -> str | None:
    """The slug of the story a revision belongs to (select `story_link__story` first)."""
    link = getattr(revision, "story_link", None)
    return link.story.slug if link is not None else None


def story_timeline(story: Story, *, upto: int | None = None) -> list:
    """The story's developments in the order they happened: current, or as of revision `upto`.

    As-of rows are history rows: they carry the same fields as developments.
    """
    if upto is None:
        return list(
            Development.objects.filter(story=story).order_by("occurred_at", "id")
        )
    return list(
        versions_as_of(Development, upto, story_id=story.pk).order_by("occurred_at", "id")
    )


def story_briefing(story: Story, upto: int | None = None):
    """The story's "What we know": current, or its version as of revision `upto` (None: none yet)."""
    if upto is None:
        return Briefing.objects.filter(story=story).first()
    return versions_as_of(Briefing, upto, story_id=story.pk).first()


def story_as_of(story: Story, upto: int):
    """The story's own version as of revision `upto` (None: it did not exist yet)."""
    return versions_as_of(Story, upto, id=story.pk).first()


def story_concluded_at(story: Story):
    """When the tracker recorded the story as concluded (the revision of its latest change of
    status to "concluded"); None while it is developing. One query, however long its history."""
    if story.status != Story.Status.CONCLUDED:
        return None
    versions = Story.history.model.objects.filter(id=story.pk)
    last_open = versions.exclude(status=Story.Status.CONCLUDED).order_by("-version").values("version")[:1]
    concluded = versions.filter(status=Story.Status.CONCLUDED, version__gt=Coalesce(Subquery(last_open), 0))
    return concluded.order_by("version").values_list("revision__created_at", flat=True).first()
