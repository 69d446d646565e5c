"""A committed revision's entries written in as few statements as the engine allows.

PostgreSQL: one statement per revision, whatever it wrote: the entries with
their full text (versions indexed already skipped), their actors, their
successors, and the earlier entries they end. SQLite: the same in four (the
entries, the FTS5 rows, the actors, the successors).
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery

from . import engines
from .models import Entry, EntryActor

# The columns an entry is written with, and their PostgreSQL types (each value is cast:
# a NULL alone in VALUES would be read as text).
_SQL_TYPES = {"CharField": "text", "TextField": "text", "BigIntegerField": "bigint",
              "PositiveIntegerField": "integer", "DateTimeField": "timestamptz", "BooleanField": "boolean"}
COLUMNS = ("type", "item_id", "version", "revision_id", "recorded_at", "recorded_by", "revision_kind",
           "title", "body", "original", "original_config", "story_id", "development_id", "kind", "status",
           "verification", "key_event", "occurred_from", "occurred_until", "country", "admin1")
_KEY = ("type", "item_id", "version")


def _row(entry: dict) -> list:
    return [Entry._meta.get_field(name).get_db_prep_save(entry[name], connection) for name in COLUMNS]


# Built from constant column names only; every value goes in as a parameter: the entries as
# one JSON text (json_to_recordset), so the statement's text and its parsing stay the same
# size however many entries a revision wrote (an import's revision writes a thousand), and
# the values are encoded by the json module's C encoder, not adapted one by one.
_PG_STATEMENT = """
WITH v ({columns}) AS (SELECT {columns} FROM json_to_recordset(%s::json) AS v ({typed})),
a (type, item_id, version, actor_id) AS (
    SELECT type, item_id, version, actor_id
    FROM json_to_recordset(%s::json) AS a (type text, item_id bigint, version integer, actor_id bigint)),
-- Each entry with the next version of its item written now (a window, not a scan per entry).
w AS (
    SELECT v.*, lead(version) OVER next AS next_version, lead(revision_id) OVER next AS next_revision_id,
           lead(recorded_at) OVER next AS next_at
    FROM v WINDOW next AS (PARTITION BY type, item_id ORDER BY version)
),
-- The next version of the same item: the earliest of the one indexed and the one written now.
inserted AS (
    INSERT INTO search_entry ({columns}, document, until_version, until_revision_id, until_at)
    SELECT {w_columns}, {document}, next.version, next.revision_id, next.recorded_at FROM w
    LEFT JOIN LATERAL (
        SELECT n.version, n.revision_id, n.recorded_at FROM (
            (SELECT e.version, e.revision_id, e.recorded_at FROM search_entry e
             WHERE e.type = w.type AND e.item_id = w.item_id AND e.version > w.version
             ORDER BY e.version LIMIT 1)
            UNION ALL
            SELECT w.next_version, w.next_revision_id, w.next_at WHERE w.next_version IS NOT NULL
        ) n ORDER BY n.version LIMIT 1
    ) next ON true
    ON CONFLICT (type, item_id, version) DO NOTHING
    RETURNING id, type, item_id, version
),
actors AS (
    INSERT INTO search_entry_actor (entry_id, actor_id)
    SELECT inserted.id, a.actor_id FROM inserted JOIN a USING (type, item_id, version)
),
-- Entries indexed before that now end at a version written here (the earliest after them).
ending AS (
    SELECT DISTINCT ON (e.id) e.id, w.version, w.revision_id, w.recorded_at
    FROM v w JOIN search_entry e ON e.type = w.type AND e.item_id = w.item_id AND e.version < w.version
    WHERE e.until_version IS NULL OR e.until_version > w.version
    ORDER BY e.id, w.version
),
ended AS (
    UPDATE search_entry e SET (until_version, until_revision_id, until_at) = (
        ending.version, ending.revision_id, ending.recorded_at)
    FROM ending WHERE e.id = ending.id
)
SELECT count(*) FROM inserted
"""


_ACTOR_KEYS = ("type", "item_id", "version", "actor_id")


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


def _write_postgresql(entries: list[dict], actors: list[tuple]) -> int:
    types = [_SQL_TYPES[Entry._meta.get_field(name).get_internal_type()] for name in COLUMNS]
    sql = _PG_STATEMENT.format(
        columns=", ".join(COLUMNS), typed=", ".join(f"{name} {sql_type}" for name, sql_type in zip(
            COLUMNS, types, strict=True)),
        w_columns=", ".join(f"w.{name}" for name in COLUMNS), document=engines.PG_DOCUMENT.format("w."))
    # Text, numbers, booleans and aware datetimes (ISO 8601, read back as timestamptz): all that
    # Django's per-value preparation would hand the database for these columns.
    rows = json.dumps([{name: entry[name] for name in COLUMNS} for entry in entries], default=_iso)
    actor_rows = json.dumps([dict(zip(_ACTOR_KEYS, actor, strict=True)) for actor in actors])
    with connection.cursor() as cursor:
        cursor.execute(sql, [rows, actor_rows])
        return cursor.fetchone()[0]


@transaction.atomic
def _write_portable(entries: list[dict], actors: list[tuple]) -> int:
    columns = ", ".join(COLUMNS)
    values = ", ".join(["(" + ", ".join(["%s"] * len(COLUMNS)) + ")"] * len(entries))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO search_entry ({columns}) VALUES {values} "  # noqa: S608
                       "ON CONFLICT (type, item_id, version) DO NOTHING RETURNING id, type, item_id, version",
                       [value for entry in entries for value in _row(entry)])
        inserted = {tuple(key): pk for pk, *key in cursor.fetchall()}
    engines.fill(inserted.values())
    EntryActor.objects.bulk_create([EntryActor(entry_id=inserted[tuple(key)], actor_id=actor)
                                    for *key, actor in actors if tuple(key) in inserted])
    reach = Q()
    for entry in entries:  # earlier entries ending after this one (or not at all), and this one
        reach |= Q(type=entry["type"], item_id=entry["item_id"]) & (
            Q(until_version__isnull=True) | Q(until_version__gt=entry["version"]))
    following = Entry.objects.filter(type=OuterRef("type"), item_id=OuterRef("item_id"),
                                     version__gt=OuterRef("version")).order_by("version")
    Entry.objects.filter(reach).update(until_version=Subquery(following.values("version")[:1]),
                                       until_revision_id=Subquery(following.values("revision_id")[:1]),
                                       until_at=Subquery(following.values("recorded_at")[:1]))
    return len(inserted)


def write(entries: list[dict], actors: list[tuple[str, int, int, int]]) -> int:
    """Write new `entries` (each a dict of COLUMNS' values) and their `actors`
    ((type, item_id, version, actor_id)) into the index.

    Versions indexed already are skipped; every entry of a touched item ends at
    its true successor. Returns how many entries were new.
    """
    if not entries:
        return 0
    if connection.vendor == "postgresql":  # one statement: atomic without a transaction of its own
        return _write_postgresql(entries, actors)
    return _write_portable(entries, actors)
