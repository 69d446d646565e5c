"""What a stream shows: its scope (everything or some stories), its revisions after a cursor, as SSE events.

An event's data is the change-feed entry of its revision (reader.feed, the
shape the API's change feed serves, over record.changes.change_feed, so the
one diff), plus `revision`, the story page's URL and each item's URLs. Ids are
revision ids: the change-feed cursor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, QuerySet
from django.urls import reverse

from claims.models import Claim
from events.models import Story
from reader.feed import feed_revision
from reader.links import claim_url, development_url, story_url
from record.changes import change_feed
from record.models import Revision

PAGE = 100
EVERYTHING = "changes"


@dataclass(frozen=True)
class Scope:
    """The stories a stream follows (None: every revision, stories or not)."""

    stories: tuple[Story, ...] | None = None

    def revisions(self) -> QuerySet:
        revisions = Revision.objects.all()
        if self.stories is not None:
            revisions = revisions.filter(story_link__story__in=[s.pk for s in self.stories])
        return revisions

    def channels(self) -> list[str]:
        """Pushpin channels: one for everything, else one per story."""
        if self.stories is None:
            return [EVERYTHING]
        return [story_channel(story.pk) for story in self.stories]

    def channel_of(self, revision: Revision) -> str:
        if self.stories is None:
            return EVERYTHING
        return story_channel(revision.story_link.story_id)


def story_channel(story_id: int) -> str:
    return f"story-{story_id}"


def last_ids(scope: Scope, upto: int) -> dict[str, int]:
    """Per channel, the newest revision id at or before `upto` (channels with none are left out)."""
    if scope.stories is None:
        newest = Revision.objects.filter(id__lte=upto).aggregate(newest=Max("id"))["newest"]
        return {EVERYTHING: newest} if newest else {}
    rows = (scope.revisions().filter(id__lte=upto).values("story_link__story_id")
            .annotate(newest=Max("id")).values_list("story_link__story_id", "newest"))
    return {story_channel(story_id): newest for story_id, newest in rows}


def log_end() -> int:
    return Revision.objects.aggregate(end=Max("id"))["end"] or 0


@dataclass
class Event:
    id: int
    data: dict

    def sse(self) -> str:
        body = json.dumps(self.data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
        return f"id: {self.id}\nevent: revision\ndata: {body}\n\n"


def events_after(scope: Scope, cursors: dict[str, int], *, default: int, limit: int = PAGE) -> list[Event]:
    """Up to `limit` events in id order after each channel's cursor (`default` where none is given)."""
    after = min([default, *cursors.values()])
    revisions = scope.revisions().select_related("story_link__story")
    events = []
    while len(events) < limit:
        entries = change_feed(after=after, revisions=revisions, limit=limit)
        if not entries:
            break
        for entry in entries:
            if entry.revision.id > cursors.get(scope.channel_of(entry.revision), default):
                events.append(entry)
        after = entries[-1].revision.id
        if len(entries) < limit:
            break
    return [Event(entry.revision.id, data) for entry, data in zip(events[:limit], _serialize(events[:limit]),
                                                                   strict=True)]


def revision_event(revision_id: int) -> Event | None:
    """The event of one revision (None if there is no such revision)."""
    entries = change_feed(after=revision_id - 1, limit=1,
                          revisions=Revision.objects.filter(id=revision_id).select_related("story_link__story"))
    if not entries:
        return None
    return Event(revision_id, _serialize(entries)[0])


def _serialize(entries: list) -> list[dict]:
    claim_developments = dict(Claim.objects.filter(
        id__in={item.id for entry in entries for item in entry.items if item.type == "claim"}
    ).values_list("id", "development_id"))
    out = []
    for entry in entries:
        data = feed_revision(entry)
        slug = data["story"]
        data = {"revision": entry.revision.id, **data,
                "url": story_url(slug) if slug else None}
        for item in data["items"]:
            item.update(_item_urls(item["type"], item["id"], slug, claim_developments))
        out.append(data)
    return out


def _item_urls(kind: str, pk: int, slug: str | None, claim_developments: dict[int, int]) -> dict:
    """Where a reader sees the item (`url`, None if it has no page) and where the API serves it."""
    url = None
    if slug and kind == "story":
        url = story_url(slug)
    elif slug and kind == "development":
        url = development_url(slug, pk)
    elif slug and kind == "claim" and pk in claim_developments:
        url = claim_url(slug, claim_developments[pk], pk)
    key = slug if kind == "story" else pk
    api_url = reverse(f"api-{kind}-detail", args=[key]) if key else None
    return {"url": url, "api_url": api_url}
