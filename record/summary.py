"""The summary of a committed revision, computed once from its log line, and its sending."""

from __future__ import annotations

import datetime as dt
import json
import logging

from .leaves import revision_lines
from .models import Revision, Versioned
from .registry import model_by_label
from .signals import ItemRef, RevisionSummary, WrittenItem, revision_committed

log = logging.getLogger(__name__)

Key = tuple[type[Versioned], int]


def _parent_field(model: type[Versioned]):
    name = getattr(model, "belongs_to", None)
    return model._meta.get_field(name) if name else None


def _parent_map(written: dict[Key, dict]) -> dict[Key, Key | None]:
    """Each written item's parent, and theirs up to the top, as the models declare it.

    What the revision wrote says where its own items belong; the parents it did
    not write are read, one query per model and level (a claim's development's story).
    """
    parent_of: dict[Key, Key | None] = {}
    unknown: dict[type[Versioned], set[int]] = {}

    def note(key: Key, fields: dict) -> None:
        field = _parent_field(key[0])
        parent = None
        if field is not None and fields.get(field.attname) is not None:
            parent = (field.related_model, fields[field.attname])
        parent_of[key] = parent
        if parent is not None and parent not in parent_of and parent not in written \
                and _parent_field(parent[0]) is not None:
            unknown.setdefault(parent[0], set()).add(parent[1])

    for key, fields in written.items():
        note(key, fields)
    for key in [key for key in parent_of if key not in written]:
        parent_of.setdefault(key, None)
    while unknown:
        batch, unknown = unknown, {}
        for model, ids in batch.items():
            field = _parent_field(model)
            for pk, parent_id in model._base_manager.filter(id__in=ids).values_list("id", field.attname):
                note((model, pk), {field.attname: parent_id})
    return parent_of


def summarise(line: dict, leaf_index: int | None) -> RevisionSummary:
    """The summary of a revision from its line in the log (see record.leaves)."""
    written: dict[Key, dict] = {}
    versions = []
    for entry in line["versions"]:
        model = model_by_label(entry["model"])
        written[(model, entry["id"])] = entry["fields"]
        versions.append((model, entry))
    parent_of = _parent_map(written)
    items = []
    for model, entry in versions:
        parents, key = [], parent_of.get((model, entry["id"]))
        while key is not None and len(parents) < 16:  # a declared chain is short; never loop
            parents.append(ItemRef(key[0]._meta.model_name, key[1]))
            key = parent_of.get(key)
        items.append(WrittenItem(model=model._meta.model_name, label=entry["model"], id=entry["id"],
                                 version=entry["version"], fields=entry["fields"], parents=tuple(parents)))
    links = {name: value for name, value in line.items()
             if name not in {"revision", "at", "author", "message", "kind", "minor", "versions"}}
    return RevisionSummary(
        revision_id=line["revision"], created_at=dt.datetime.fromisoformat(line["at"]),
        kind=line["kind"], author=line["author"], minor=line["minor"], leaf_index=leaf_index,
        items=tuple(items), links=links,
    )


def summary_of(revision_id: int) -> RevisionSummary | None:
    """The summary of a committed revision, read back from the log (a task's view of it)."""
    rev = (Revision.objects.select_related("author", "log_leaf").filter(id=revision_id).first())
    if rev is None:
        return None
    leaf = getattr(rev, "log_leaf", None)
    if leaf is not None:
        return summarise(json.loads(bytes(leaf.data)), leaf.index)
    return summarise(json.loads(next(revision_lines([rev]))), None)


def send_committed(summary: RevisionSummary) -> list:
    """Send `revision_committed` for a revision that has just committed (record.versioning)."""
    answers = revision_committed.send_robust(sender=Revision, summary=summary)
    for receiver, answer in answers:
        if isinstance(answer, Exception):
            log.error("revision_committed: %r failed for revision %s", receiver, summary.revision_id,
                      exc_info=(type(answer), answer, answer.__traceback__))
    return answers
