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
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction

from .errors import TrackerError
from .models import Revision, Versioned
from .registry import append_only_tables, model_by_label, revision_links, versioned_models
from .selectors import history_model, versions_written_by
from .versioning import revision, save_version, tracked_fields

FORMAT = "tracker-revision-log"
FORMAT_VERSION = 1

# Replay order inside one revision is the registry's: what a version may point
# to comes first (actors and sources before the developments that cite them).
# Within one model the original write order (history id) is kept.
_CHUNK = 500  # revisions read per batch while exporting


class LogError(Exception):
    """The log cannot be imported (the database is not empty, or the file is malformed)."""


# --- export -----------------------------------------------------------------

def _json_value(value: Any) -> Any:
    # Full precision ISO 8601 (DjangoJSONEncoder would cut microseconds).
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_value)


def _m2m_ids(model: type[Versioned], history_ids: list[int]) -> dict[tuple[str, int], list[int]]:
    """Many-to-many sets of many versions at once: {(field, history_id): sorted ids}."""
    found: dict[tuple[str, int], list[int]] = {}
    for field in model._meta.many_to_many:
        through = vars(history_model(model))[field.name].model  # simple-history's m2m version table
        target = field.m2m_reverse_field_name() + "_id"
        rows = through.objects.filter(history_id__in=history_ids).values_list("history_id", target)
        for history_id, target_id in rows:
            found.setdefault((field.name, history_id), []).append(target_id)
    return found


def _version_entry(row, fields: list, m2m: dict[tuple[str, int], list[int]]) -> dict:
    # The same content as selectors.version_values(row), read in bulk.
    values = {
        field.name: sorted(m2m.get((field.name, row.history_id), []))
        if field.many_to_many else _json_value(getattr(row, field.attname))
        for field in fields
    }
    keys = {field.name: field.name if field.many_to_many else field.attname for field in fields}
    return {"model": row.instance_type._meta.label_lower, "id": row.id, "version": row.version,
            "fields": {keys[name]: value for name, value in values.items()}}


def _versions_by_revision(first: int, last: int) -> dict[int, list[dict]]:
    """Every version written by revisions first..last, grouped by revision, in replay order."""
    grouped: dict[int, list[dict]] = {}
    for model in versioned_models():
        fields = tracked_fields(model)
        rows = list(
            versions_written_by(model, revision_id__gte=first, revision_id__lte=last)
            .order_by("history_id")
        )
        m2m = _m2m_ids(model, [row.history_id for row in rows])
        for row in rows:
            grouped.setdefault(row.revision_id, []).append(_version_entry(row, fields, m2m))
    return grouped


def log_lines() -> Iterator[str]:
    """The log, one JSON line at a time (a header line first), in revision id order."""
    yield _dumps({"format": FORMAT, "format_version": FORMAT_VERSION})
    revisions = Revision.objects.select_related("author").order_by("id")
    last_id = 0
    while True:
        batch = list(revisions.filter(id__gt=last_id)[:_CHUNK])
        if not batch:
            return
        versions = _versions_by_revision(batch[0].id, batch[-1].id)
        links = {link_model: link_model.log_queryset().in_bulk([rev.id for rev in batch])
                 for link_model in revision_links()}
        for rev in batch:
            line = {
                "revision": rev.id,
                "at": rev.created_at.isoformat(),
                "author": rev.author.get_username(),
                "message": rev.message,
                "kind": rev.kind,
                "minor": rev.minor,
                "versions": versions.get(rev.id, []),
            }
            for link_model, found in links.items():
                line.update(link_model.log_values(found.get(rev.id)))
            yield _dumps(line)
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


def _author(username: str):
    # The log names authors; accounts themselves are not part of it. A missing
    # author gets an account without a usable password (an admin can set one).
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(**{user_model.USERNAME_FIELD: username})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


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
                authors[entry["author"]] = _author(entry["author"])
            try:
                _replay_revision(entry, authors)
            except (KeyError, TypeError, ValueError, ValidationError, TrackerError) as error:
                raise LogError(f"Line {entry['_line']} cannot be replayed: {error!r}") from error
            count += 1
        if connection.vendor == "postgresql":
            _reset_sequences()
        return count


