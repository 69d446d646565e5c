"""The write side of the index: a committed revision's versions in, and the rebuild from all versions.

An entry is written once per version and never changes its text; only its
end (`until_*`: the item's next version) is set when that version is indexed.
Writing is idempotent and order-free: a version indexed twice is one entry,
and versions indexed out of order still link each entry to its true successor.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from record.leaves import revision_lines
from record.models import Revision
from record.registry import model_by_label
from record.signals import RevisionSummary

from . import engines, writing
from .documents import TYPES, Document, document
from .models import Entry, EntryActor

BATCH = 500


@dataclass(frozen=True)
class Written:
    """One version to index, with the revision that wrote it."""

    type: str
    item_id: int
    version: int
    fields: dict
    revision_id: int
    at: dt.datetime
    author: str
    kind: str
    story_id: int | None = None  # where the fields do not say it (a claim's story)


def _entry(written: Written) -> tuple[Entry, Document]:
    values, doc = _entry_values(written)
    return Entry(**values), doc


def _entry_values(written: Written) -> tuple[dict, Document]:
    """An entry's columns as plain values: the receiver writes them as they are (no model row built)."""
    doc = document(written.type, written.fields, story_id=written.story_id)
    if written.type == "story":
        doc.story_id = written.item_id
    if written.type == "development":
        doc.development_id = written.item_id
    values = {
        "type": written.type, "item_id": written.item_id, "version": written.version,
        "revision_id": written.revision_id, "recorded_at": written.at, "recorded_by": written.author,
        "revision_kind": written.kind, "title": doc.title[:10000], "body": doc.body,
        "original": doc.original, "original_config": doc.original_config, "story_id": doc.story_id,
        "development_id": doc.development_id, "kind": doc.kind, "status": doc.status,
        "verification": doc.verification, "key_event": doc.key_event, "occurred_from": doc.occurred_from,
        "occurred_until": doc.occurred_until, "country": doc.country, "admin1": doc.admin1}
    return values, doc


def _save(pairs: list[tuple[Entry, Document]]) -> None:
    if not pairs:
        return
    entries = Entry.objects.bulk_create([entry for entry, _ in pairs], batch_size=BATCH)
    actors = [EntryActor(entry=entry, actor_id=actor) for entry, doc in pairs for actor in doc.actor_ids]
    if actors:
        EntryActor.objects.bulk_create(actors, batch_size=BATCH)
    engines.fill(entry.id for entry in entries)


def written_in(summary: RevisionSummary) -> list[Written]:
    """The searchable versions a committed revision wrote."""
    found = []
    for item in summary.items:
        if item.model not in TYPES:
            continue
        story = next((ref.id for ref in item.parents if ref.model == "story"), summary.links.get("story_id"))
        found.append(Written(TYPES[item.model], item.id, item.version, item.fields, summary.revision_id,
                             summary.created_at, summary.author, summary.kind, story))
    return found


def index_versions(written: Iterable[Written]) -> int:
    """Index versions as they are committed (the receiver); returns how many were new."""
    pairs = [_entry_values(one) for one in written]
    actors = [(entry["type"], entry["item_id"], entry["version"], actor)
              for entry, doc in pairs for actor in doc.actor_ids]
    return writing.write([entry for entry, _ in pairs], actors)


def index_summary(summary: RevisionSummary) -> int:
    """Index what a committed revision wrote (the one receiver of revision_committed calls this)."""
    written = written_in(summary)
    return index_versions(written) if written else 0


def _searchable_models() -> list:
    from claims.models import Claim
    from events.models import Actor, Briefing, Development, Source, Story

    return [Story, Briefing, Development, Claim, Actor, Source]


def versions_in_log() -> Iterator[Written]:
    """Every searchable version, oldest revision first, read from the log as it replays."""
    from events.models import Development  # a claim's story is its development's, which never moves

    story_of = dict(Development.objects.values_list("id", "story_id"))
    models = _searchable_models()
    last = 0
    while True:
        batch = list(Revision.objects.select_related("author").filter(id__gt=last).order_by("id")[:BATCH])
        if not batch:
            return
        for line in map(json.loads, revision_lines(batch, models=models)):
            at = dt.datetime.fromisoformat(line["at"])
            for version in line["versions"]:
                model = model_by_label(version["model"])._meta.model_name
                story = story_of.get(version["fields"].get("development_id"), line.get("story_id"))
                yield Written(TYPES[model], version["id"], version["version"], version["fields"],
                              line["revision"], at, line["author"], line["kind"], story)
        last = batch[-1].id


def expected_entries() -> list[tuple[Entry, Document]]:
    """The index as the versions say it should be, successors linked."""
    pairs = [_entry(one) for one in versions_in_log()]
    latest: dict[tuple[str, int], Entry] = {}
    for entry, _ in sorted(pairs, key=lambda pair: (pair[0].type, pair[0].item_id, pair[0].version)):
        before = latest.get((entry.type, entry.item_id))
        if before is not None:
            before.until_version, before.until_revision_id = entry.version, entry.revision_id
            before.until_at = entry.recorded_at
        latest[(entry.type, entry.item_id)] = entry
    return pairs


# What drift compares: an entry's place in history and its text.
_COMPARED = ("type", "item_id", "version", "revision_id", "until_version", "title", "body", "original",
             "story_id", "development_id", "kind", "status", "verification", "key_event", "country", "admin1")


@dataclass
class Drift:
    """How the index differs from the versions: entries missing, wrong, or extra."""

    missing: list[tuple[str, int, int]] = field(default_factory=list)
    wrong: list[tuple[str, int, int]] = field(default_factory=list)
    extra: list[tuple[str, int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.wrong or self.extra)


def drift(expected: list[tuple[Entry, Document]]) -> Drift:
    want = {(e.type, e.item_id, e.version): tuple(getattr(e, name) for name in _COMPARED)
            for e, _ in expected}
    have = {row[:3]: row for row in Entry.objects.values_list(*_COMPARED)}
    found = Drift()
    for key, row in want.items():
        if key not in have:
            found.missing.append(key)
        elif have[key] != row:
            found.wrong.append(key)
    found.extra = [key for key in have if key not in want]
    return found


@transaction.atomic
def rebuild(*, check_only: bool = False) -> Drift:
    """Compare the index with the versions, and (unless `check_only`) rebuild it from them."""
    expected = expected_entries()
    found = drift(expected)
    if not check_only:
        engines.clear()
        EntryActor.objects.all().delete()
        Entry.objects.all().delete()
        _save(expected)
    return found
