"""Machine-readable views of a story: Atom, JSON Feed 1.1 and TimelineJS (JSON-LD: pages.structured)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from events.models import Story
from publiclog.checkpoints import latest_checkpoint
from reader.dates import occurred_parts
from reader.links import development_url
from record.models import Revision
from tracker.site import absolute

from .selectors import LABEL_WORDS, ChangelogEntry, StoryPage

FEED_LENGTH = 50  # revisions per feed: a poller that falls further behind reads the changelog
PUBLISHER = "Tracker"


def revision_url(story: Story, revision_id: int) -> str:
    return absolute(reverse("pages:story_changes", args=[story.slug]) + f"#revision-{revision_id}")


# What a revision did, in the words of a headline: "Corrected: Death toll of the offensive unclear".
HEADLINE_WORDS = {**LABEL_WORDS,
                  Revision.Kind.CREATED: "New", Revision.Kind.RESTORE: "Restored",
                  Revision.Kind.CAPTURE: "Archived"}


def entry_headline(entry: ChangelogEntry) -> str:
    """What the revision was about, as a reader names it: the development's headline.

    A revision about a claim is headed by its development; one about several
    developments by the first and a count; the story or "What we know" by itself.
    """
    developments = {}
    for item in entry.items:
        if item.kind == "development":
            developments.setdefault(item.development_id, item.title)
        elif item.kind == "claim":
            developments.setdefault(item.development_id, item.development_title)
    if developments:
        first, *others = developments.values()
        return f"{first} (and {len(others)} more)" if others else first
    if entry.items:
        return entry.items[0].title
    return entry.revision.message


def entry_title(entry: ChangelogEntry) -> str:
    """The headline with the kind of change ("Corrected: ..."); the editor's message is the summary."""
    word = HEADLINE_WORDS.get(entry.revision.kind, entry.revision.get_kind_display())
    return f"{word}: {entry_headline(entry)}"


def entry_link(story: Story, entry: ChangelogEntry) -> str:
    """The development a revision wrote, when it wrote about exactly one; else the changelog."""
    developments = {item.development_id for item in entry.items if item.development_id}
    if len(developments) == 1:
        return absolute(development_url(story.slug, developments.pop()))
    return revision_url(story, entry.revision.id)


def entry_html(story: Story, entry: ChangelogEntry) -> str:
    context = {"story": story, "entry": entry}
    return render_to_string("pages/feed_entry.html", context).strip()


# C0 control characters other than tab, newline and carriage return cannot appear
# in XML 1.0 at all, not even escaped; pasted text sometimes carries them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


LOG_NAMESPACE = "https://tracker.example/ns/log"  # our Atom extension: the public log's checkpoint


def log_checkpoint() -> dict[str, Any] | None:
    """The latest signed checkpoint as feeds carry it: tree size, base64 root, where to check it."""
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        return None
    return {"tree_size": checkpoint.size, "root": base64.b64encode(bytes(checkpoint.root)).decode(),
            "checkpoint_url": absolute(reverse("api-log-checkpoint") + f"?size={checkpoint.size}")}


class LogAtomFeed(Atom1Feed):
    """Atom with a `<log:checkpoint size= root= href=/>` element: readers can pin the log's state."""

    def __init__(self, *args, checkpoint: dict[str, Any] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checkpoint = checkpoint

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:log": LOG_NAMESPACE}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.checkpoint:
            handler.addQuickElement("log:checkpoint", attrs={
                "size": str(self.checkpoint["tree_size"]), "root": self.checkpoint["root"],
                "href": self.checkpoint["checkpoint_url"]})


def atom_feed(story: Story, entries: list[ChangelogEntry]) -> str:
    story_url = absolute(story.get_absolute_url())
    feed = LogAtomFeed(
        checkpoint=log_checkpoint(),
        title=xml_text(story.title), link=story_url, description=xml_text(story.summary),
        language="en", feed_url=absolute(reverse("pages:story_atom", args=[story.slug])),
        author_name=PUBLISHER, feed_guid=story_url, subtitle=xml_text(story.summary),
    )
    for entry in entries:
        feed.add_item(
            title=xml_text(entry_title(entry)), link=entry_link(story, entry),
            description=xml_text(entry_html(story, entry)), unique_id=revision_url(story, entry.revision.id),
            unique_id_is_permalink=False, pubdate=entry.revision.created_at,
            updateddate=entry.revision.created_at, author_name=PUBLISHER,
            categories=[entry.revision.kind],
        )
    return feed.writeString("utf-8")


def json_feed(story: Story, entries: list[ChangelogEntry]) -> dict[str, Any]:
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": story.title,
        "home_page_url": absolute(story.get_absolute_url()),
        "feed_url": absolute(reverse("pages:story_json_feed", args=[story.slug])),
        "description": story.summary,
        "language": "en",
        "authors": [{"name": PUBLISHER}],
        # A JSON Feed extension (leading underscore): the public log's latest checkpoint.
        "_log": log_checkpoint(),
        "items": [
            {
                "id": revision_url(story, entry.revision.id),
                "url": entry_link(story, entry),
                "title": entry_title(entry),
                "summary": entry.revision.message,
                "content_html": entry_html(story, entry),
                "date_published": entry.revision.created_at.isoformat(),
                "date_modified": entry.revision.created_at.isoformat(),
                "tags": [entry.revision.kind],
            }
            for entry in entries
        ],
    }


def _timeline_date(moment: dt.datetime, precision: str) -> dict[str, int]:
    # TimelineJS shows only the parts given: a day-precision event gets no made-up
    # midnight, a month-precision one no made-up day (reader.dates decides which).
    return occurred_parts(moment, precision)


def timelinejs(page: StoryPage) -> dict[str, Any]:
    """The TimelineJS3 JSON format, so a newsroom can embed the timeline.

    TimelineJS renders headline, text and group as HTML in the embedding page:
    every value is escaped here, or our data would run script on their site.
    """
    def escape(text: str) -> str:  # element content, never an attribute: quotes may stay
        return html.escape(text, quote=False)

    events = []
    for entry in page.entries:
        development = entry.development
        event = {
            "unique_id": f"development-{development.id}",
            "start_date": _timeline_date(development.occurred_at, development.occurred_precision),
            "text": {"headline": escape(development.title), "text": escape(development.summary)},
            "group": escape(development.get_kind_display()),
        }
        if development.ended_at:
            event["end_date"] = _timeline_date(development.ended_at, development.occurred_precision)
        events.append(event)
    return {"title": {"text": {"headline": escape(page.story.title), "text": escape(page.story.summary)}},
            "events": events}
