"""Fast entry of a development: which story the form opens on."""

from __future__ import annotations

from events.models import Development, Story
from record.selectors import versions_written_by


def story_to_preselect(user) -> Story | None:
    """The story of the last development `user` wrote, else the only developing story, else None."""
    last = (versions_written_by(Development, revision__author=user)
            .order_by("-revision_id").values_list("story_id", flat=True).first())
    if last is not None:
        story = Story.objects.filter(pk=last, status=Story.Status.DEVELOPING).first()
        if story is not None:
            return story
    developing = list(Story.objects.filter(status=Story.Status.DEVELOPING)[:2])
    return developing[0] if len(developing) == 1 else None
