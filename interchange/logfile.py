"""The revision log as a portable file: export every revision with its versions, replay it.

One JSON object per line, one line per revision in id order, each with the
versions it wrote (every model of the registry, with its many-to-many sets)
and what the domains' links say about it (e.g. its story). Replaying goes
through the versioning layer, so the imported database has the same item ids,
revision ids, current state, history and "as of" views; exporting it again gives
the same bytes. The log is the backup.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction

from record.accounts import account_named
from record.errors import TrackerError
from record.leaves import dumps, revision_lines
from record.models import Revision, Versioned
from record.registry import append_only_tables, model_by_label, revision_links, versioned_models
from record.versioning import revision, save_version

FORMAT = "tracker-revision-log"
FORMAT_VERSION = 1

_CHUNK = 500  # revisions read per batch while exporting


class LogError(Exception):
    """The log cannot be imported (the database is not empty, or the file is malformed)."""


# --- export -----------------------------------------------------------------

def log_lines() -> Iterator[str]:
    """The log, one JSON line at a time (a header line first), in revision id order.

    Every line after the header is the revision's leaf in the public log
    (record.leaves): the exported file is what a verifier recomputes the tree from.
    """
    yield dumps({"format": FORMAT, "format_version": FORMAT_VERSION})
    revisions = Revision.objects.select_related("author").order_by("id")
    last_id = 0
    while True:
        batch = list(revisions.filter(id__gt=last_id)[:_CHUNK])
        if not batch:
            return
        yield from revision_lines(batch)
        last_id = batch[-1].id


def export_log(stream: IO[str]) -> int:
    """Write the whole log to a text stream; returns the number of revisions written."""
    count = -1
    for count, line in enumerate(log_lines()):  # noqa: B007 (the count is the result)
        stream.write(line + "\n")
    return count


# --- import -----------------------------------------------------------------

def log_tables() -> list[str]:
    """Every table the log fills: revisions, versions, m2m versions and current rows."""
    current = [model._meta.db_table for model in versioned_models()]
    through = [field.remote_field.through._meta.db_table
               for model in versioned_models() for field in model._meta.many_to_many]
    return [*append_only_tables(), *current, *through]


def database_is_empty() -> bool:
    """No revision, version or item in any table: the only state a log may be replayed into."""
    with connection.cursor() as cursor:
        for table in log_tables():
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


def _parse(lines: Iterable[str]) -> Iterator[dict]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise LogError(f"Line {number} is not JSON: {error}") from error
        if number == 1:
            if entry.get("format") != FORMAT or entry.get("format_version") != FORMAT_VERSION:
                raise LogError(f"Line 1 is not a {FORMAT} v{FORMAT_VERSION} header.")
            continue
        entry["_line"] = number
        yield entry


def _field_values(model: type[Versioned], fields: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for name, raw in fields.items():
        field = model._meta.get_field(name)  # attnames (story_id) resolve too
        values[name] = raw if field.many_to_many else field.to_python(raw)
    return values


def _next_revision_id_is(revision_id: int) -> None:
    # Revision ids are cursors held by clients (and gap-tolerant): the replay
    # must hand out the original ids, so the sequence is set before each insert.
    table = Revision._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                           [table, revision_id])
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                           [table, revision_id - 1])
        else:
            raise LogError(f"Replay does not know how to keep revision ids on {connection.vendor}.")


def _insert_first(model: type[Versioned], pk: int, values: dict[str, Any]) -> Versioned:
    """Put a new item's row in with its original id, as version 0 (no history yet).

    Like story_create: the row exists first, its first version is written next.
    """
    plain = {name: value for name, value in values.items()
             if not model._meta.get_field(name).many_to_many}
    instance = model(pk=pk, version=0, **plain)
    instance.skip_history_when_saving = True
    try:
        instance.save(force_insert=True)
    finally:
        del instance.skip_history_when_saving
    return instance


def _replay_version(entry: dict) -> None:
    model = model_by_label(entry["model"])
    if model is None:
        raise LogError(f"Unknown model {entry['model']!r}.")
    values = _field_values(model, entry["fields"])
    if entry["version"] == 1:
        instance = _insert_first(model, entry["id"], values)
    else:
        instance = model.objects.get(pk=entry["id"])
    saved = save_version(instance, changes=values, base_version=entry["version"] - 1,
                         allow_no_change=True)
    if saved.version != entry["version"]:
        raise LogError(f"{entry['model']} {entry['id']}: replay wrote version {saved.version}, "
                       f"the log says {entry['version']}.")


def _replay_revision(entry: dict, authors: dict[str, Any]) -> None:
    _next_revision_id_is(entry["revision"])
    with revision(author=authors[entry["author"]], message=entry["message"], kind=entry["kind"],
                  minor=entry["minor"], at=dt.datetime.fromisoformat(entry["at"])) as rev:
        if rev.id != entry["revision"]:
            raise LogError(f"Line {entry['_line']}: revision {entry['revision']} came out as {rev.id}.")
        for version in entry["versions"]:
            _replay_version(version)
        # After the versions: a link may name an item this very revision created.
        for link_model in revision_links():
            link_model.replay(rev, entry)


def _reset_sequences() -> None:
    # Items went in with explicit ids: move each id sequence past them.
    labels = {model._meta.app_label for model in versioned_models()}
    tables = [model for label in sorted(labels)
              for model in apps.get_app_config(label).get_models(include_auto_created=True)]
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def import_log(lines: Iterable[str]) -> int:
    """Replay a log into an empty database, in one transaction; returns the revisions replayed."""
    with transaction.atomic():
        if not database_is_empty():
            raise LogError("The database already has revisions or items: import_log only "
                           "replays into an empty database (migrate a fresh one first).")
        authors: dict[str, Any] = {}
        count = 0
        for entry in _parse(lines):
            if entry["author"] not in authors:
                authors[entry["author"]] = account_named(entry["author"])
            try:
                _replay_revision(entry, authors)
            except (KeyError, TypeError, ValueError, ValidationError, TrackerError) as error:
                raise LogError(f"Line {entry['_line']} cannot be replayed: {error!r}") from error
            count += 1
        if connection.vendor == "postgresql":
            _reset_sequences()
        return count


