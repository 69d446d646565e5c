"""A revision's place in the public log: its full line, and the entry that commits to it.

The entry is what the tree hashes (RFC 9162 leaf hash) and what C2SP entry
bundles serve, so it must stay under 65,535 bytes whatever the revision
wrote: `{"line_sha256":"<hex SHA-256 of the line>","revision":<id>}`, about
100 bytes (`entry_for`). The full line is served beside it
(/api/log/leaves/<index>, the exported log): a reader hashes the line,
finds it in the signed entry, and then trusts every field of it.

The line is one JSON object with sorted keys, no spaces, non-ASCII kept as
UTF-8 (`json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":"))`),
datetimes in full-precision ISO 8601: the revision (`revision`, `at`,
`author`, `message`, `kind`, `minor`), every version it wrote (`versions`:
`model`, `id`, `version`, `fields` with many-to-many sets as sorted ids), and
what the domains' links say of it (e.g. `story`, `story_id`). Anyone holding
the file that `export_log` writes can therefore recompute every entry: the
line is the file's line without its newline.

Replay order inside one revision is the registry's (what a version may point
to comes first); within one model the original write order (history id) is kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, F, IntegerField, Value

from .fields import tracked_fields
from .models import Revision, RevisionLink, Versioned
from .progress import RevisionInProgress, WrittenVersion
from .registry import revision_links, versioned_models
from .selectors import history_model, versions_written_by


def _json_value(value: Any) -> Any:
    # Full precision ISO 8601 (DjangoJSONEncoder would cut microseconds).
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_value)


def entry_for(revision_id: int, line: bytes) -> bytes:
    """The log entry of the revision whose full line is `line` (bytes, no newline)."""
    return dumps({"line_sha256": hashlib.sha256(line).hexdigest(), "revision": revision_id}).encode()


def _m2m_ids(model: type[Versioned], history_ids: list[int]) -> dict[tuple[str, int], list[int]]:
    """Many-to-many sets of many versions at once: {(field, history_id): sorted ids}."""
    found: dict[tuple[str, int], list[int]] = {}
    if not history_ids:
        return found
    for field in model._meta.many_to_many:
        through = vars(history_model(model))[field.name].model  # simple-history's m2m version table
        target = field.m2m_reverse_field_name() + "_id"
        rows = through.objects.filter(history_id__in=history_ids).values_list("history_id", target)
        for history_id, target_id in rows:
            found.setdefault((field.name, history_id), []).append(target_id)
    return found


def _version_entry(label: str, row: dict, fields: list, m2m: dict[tuple[str, int], list[int]]) -> dict:
    # The same content as selectors.version_values(row), read in bulk (as values, not model rows:
    # a revision of a bulk import holds thousands of versions).
    history_id = row["history_id"]
    values = {}
    for field in fields:
        if field.many_to_many:
            values[field.name] = sorted(m2m.get((field.name, history_id), []))
        else:
            values[field.attname] = _json_value(row[field.attname])
    return {"model": label, "id": row["id"], "version": row["version"], "fields": values}


def _as_read(value: Any) -> Any:
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo else value


def _written_entries(model: type[Versioned], written: list[WrittenVersion]) -> list[tuple[int, dict]]:
    """Versions noted as written, as log entries (values as the database gives them back:
    datetimes in UTC), each with its history id."""
    fields = tracked_fields(model)
    label = model._meta.label_lower
    moments = [field.attname for field in fields if isinstance(field, DateTimeField)]
    entries = []
    for version in written:
        row = dict(version.values, history_id=version.history_id)
        for name in moments:
            row[name] = _as_read(row[name])
        sets = {(name, version.history_id): ids for name, ids in version.sets.items()}
        entries.append((version.history_id, _version_entry(label, row, fields, sets)))
    return entries


def _versioned_relations(link: type[RevisionLink]) -> list[str]:
    return [field.name for field in link._meta.concrete_fields
            if field.is_relation and field.name != "revision" and issubclass(field.related_model, Versioned)]


def _links_to_trust() -> list[type[RevisionLink]]:
    return [link for link in revision_links() if not _versioned_relations(link)]


def _links_to_check() -> list[tuple[type[RevisionLink], str]]:
    # A link pointing at a versioned item (the story) is trusted only if that item's
    # version in the database is the one it holds in memory: the item may have been
    # loaded before the revision lock, and renamed since (a rename is a new version).
    return [(link, name) for link in revision_links() for name in _versioned_relations(link)]


_ANY_REVISION = -7_000_000_001  # no revision has it: stands for the revision in a cached query


@functools.lru_cache(maxsize=64)
def _held_query(models: tuple[type[Versioned], ...], links: tuple[type[RevisionLink], ...],
                checked: tuple[tuple[type[RevisionLink], str], ...]) -> tuple[str, list]:
    """The SQL of _Held's one query for these models and links, compiled once per shape (every
    write pays the query, not the ORM's compiling of a union)."""
    def tagged(queryset, tag: int, held: str):
        annotated = queryset.order_by().annotate(tag=Value(tag, IntegerField()), held=F(held))
        return annotated.values_list("tag", "held")

    parts = [tagged(versions_written_by(model, revision_id=_ANY_REVISION), tag, "history_id")
             for tag, model in enumerate(models)]
    parts += [tagged(link.objects.filter(revision_id=_ANY_REVISION), tag, "revision_id")
              for tag, link in enumerate(links, start=len(parts))]
    parts += [tagged(link.objects.filter(revision_id=_ANY_REVISION), tag, f"{name}__version")
              for tag, (link, name) in enumerate(checked, start=len(parts))]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sql, params = rows.query.sql_with_params()
    return sql, list(params)


class _Held:
    """What the database holds of one open revision, in one query: the history ids of
    every model with noted versions, which trusted link tables have its row, and the
    current version of each versioned item the other links point at."""

    def __init__(self, progress: RevisionInProgress) -> None:
        rev = progress.revision
        self.noted_versions = progress.versions
        self.noted_links = progress.links
        self.links = _links_to_trust()
        self.checked = _links_to_check()
        tagged = [*self.noted_versions, *self.links, *self.checked]
        self.ids: dict[object, list[int]] = {}
        if tagged:
            sql, params = _held_query(tuple(self.noted_versions), tuple(self.links), tuple(self.checked))
            with connection.cursor() as cursor:
                cursor.execute(sql, [rev.id if p == _ANY_REVISION else p for p in params])
                for tag, held in cursor.fetchall():
                    self.ids.setdefault(tagged[tag], []).append(held)

    def versions(self, model: type[Versioned]) -> list[dict] | None:
        """The versions of `model` noted as written, if they are exactly the ones it holds
        (a version written without a note, or a noted one rolled back with a savepoint,
        sends the leaf back to reading)."""
        written = self.noted_versions.get(model)
        if written is None or connection.vendor != "postgresql":
            # SQLite gives a row rolled back with a savepoint's id to the next row written, so
            # equal ids there do not prove equal rows; PostgreSQL's sequences never reuse one.
            return None
        entries = sorted(_written_entries(model, written), key=lambda pair: pair[0])
        if sorted(self.ids.get(model, [])) != [history_id for history_id, _ in entries]:
            return None
        return [entry for _, entry in entries]

    def link(self, link_model: type[RevisionLink]) -> tuple[bool, RevisionLink | None]:
        """(known, link): the link as noted, or none, when that is what the table holds."""
        noted = self.noted_links.get(link_model)
        if link_model in self.links:
            held = bool(self.ids.get(link_model))
            return (True, noted) if held == (noted is not None) else (False, None)
        relations = [pair for pair in self.checked if pair[0] is link_model]
        if not relations:
            return False, None
        for pair in relations:
            held = self.ids.get(pair, [])
            if noted is None:
                if held:
                    return False, None
                continue
            # The item as held in memory (never loaded here: that would be a query) must be
            # the current version of it.
            if not link_model._meta.get_field(pair[1]).is_cached(noted) \
                    or held != [getattr(noted, pair[1]).version]:
                return False, None
        return True, noted


def _versions_by_revision(first: int, last: int, models: Iterable | None,
                          held: _Held | None = None) -> dict[int, list[dict]]:
    """Every version written by revisions first..last, grouped by revision, in replay order.

    With `held` (first = last = the open revision's id), the versions noted on
    it as written are used instead of reading them back when they are exactly
    their model's.
    """
    wanted = None if models is None else set(models)
    grouped: dict[int, list[dict]] = {}
    for model in versioned_models():
        if wanted is not None and model not in wanted:
            continue
        known = held.versions(model) if held is not None else None
        if known is not None:
            if known:
                grouped.setdefault(first, []).extend(known)
            continue
        fields = tracked_fields(model)
        columns = {"history_id", "revision_id", "id", "version",
                   *(field.attname for field in fields if not field.many_to_many)}
        rows = list(
            versions_written_by(model, revision_id__gte=first, revision_id__lte=last)
            .order_by("history_id").values(*columns)
        )
        m2m = _m2m_ids(model, [row["history_id"] for row in rows])
        label = model._meta.label_lower
        for row in rows:
            grouped.setdefault(row["revision_id"], []).append(_version_entry(label, row, fields, m2m))
    return grouped


def _links(batch: list[Revision], held: _Held | None) -> dict[type[RevisionLink], dict[int, RevisionLink]]:
    found = {}
    for link_model in revision_links():
        known, link = held.link(link_model) if held is not None else (False, None)
        if known:
            found[link_model] = {} if link is None else {batch[0].id: link}
        else:
            found[link_model] = link_model.log_queryset().in_bulk([rev.id for rev in batch])
    return found


def _line(rev: Revision, versions: list[dict], links: dict) -> dict:
    line = {
        "revision": rev.id,
        "at": rev.created_at.isoformat(),
        "author": rev.author.get_username(),
        "message": rev.message,
        "kind": rev.kind,
        "minor": rev.minor,
        "versions": versions,
    }
    for link_model, found in links.items():
        line.update(link_model.log_values(found.get(rev.id)))
    return line


def revision_lines(batch: list[Revision], *, models: Iterable | None = None) -> Iterator[str]:
    """The log lines of consecutive committed revisions (with `author` selected), read back, in id order.

    `models` narrows the versioned models read, when the caller knows which
    ones the revisions wrote.
    """
    if not batch:
        return
    versions = _versions_by_revision(batch[0].id, batch[-1].id, models)
    links = _links(batch, None)
    for rev in batch:
        yield dumps(_line(rev, versions.get(rev.id, []), links))


def written_line(progress: RevisionInProgress) -> dict:
    """The log line of the revision in progress, from what it noted as written.

    A pure function of the notes wherever the database confirms them (one
    query: the revision's history ids per noted model, and its trusted links);
    what it cannot confirm is read back, so the line is always the revision as
    it will commit. Its `dumps` is the revision's leaf.
    """
    rev = progress.revision
    held = _Held(progress)
    versions = _versions_by_revision(rev.id, rev.id, progress.models, held)
    return _line(rev, versions.get(rev.id, []), _links([rev], held))


def leaf_bytes(rev: Revision, *, models: Iterable | None = None) -> bytes:
    """The exact bytes of one committed revision's leaf, read back."""
    return next(revision_lines([rev], models=models)).encode("utf-8")
