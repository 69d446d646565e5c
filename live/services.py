"""Publishing a committed revision to Pushpin: one item on the everything channel, one on its story's."""

from __future__ import annotations

from django.db.models import Max

from events.selectors import story_revisions
from record.models import Revision

from . import grip
from .selectors import EVERYTHING, revision_event, story_channel


def revision_publish(revision_id: int, urls: list[str] | None = None) -> int:
    """Publish the revision's event to every Pushpin (or to `urls`); returns how many items went
    out (0: no such revision).

    Each item carries `prev-id`, the channel's previous revision: Pushpin puts
    items published out of order back in order, and when it sees a gap (a
    publish that never arrived) it asks the stream's recovery link for what
    it missed. Revision ids are in commit order, so once this revision has
    committed every earlier one has too. Raises grip.PublishError naming the
    Pushpins that did not take the items (the others have them).
    """
    event = revision_event(revision_id)
    if event is None:
        return 0
    content = event.sse()
    earlier = Revision.objects.filter(id__lt=revision_id)
    items = [grip.stream_item(EVERYTHING, revision_id, earlier.aggregate(prev=Max("id"))["prev"], content)]
    revision = Revision.objects.select_related("story_link__story").get(id=revision_id)
    link = getattr(revision, "story_link", None)
    if link is not None:
        prev = story_revisions(link.story).filter(id__lt=revision_id).aggregate(prev=Max("id"))["prev"]
        items.append(grip.stream_item(story_channel(link.story_id), revision_id, prev, content))
    failed = grip.publish(items, urls)
    if failed:
        raise grip.PublishError("; ".join(str(exc) for exc in failed.values()), urls=list(failed))
    return len(items)
