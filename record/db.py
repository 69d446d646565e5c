"""Database-level guarantees: append-only version and revision tables, lookup indexes.

Each migration that installs them passes the table names it acts on, written
out in the migration itself: a later change to the registry must not change
what an old migration does.
"""

from django.db import migrations

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION tracker_refuse_rewrite() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only: % on % is refused (versions and revisions are never rewritten)',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def _sqlite_insert_guard(connection, table: str) -> list[str]:
    """A BEFORE INSERT trigger refusing a row whose key (or any unique key) already exists.

    SQLite's `INSERT OR REPLACE` / `REPLACE INTO` deletes the row in the way
    without firing DELETE triggers (recursive_triggers is off): without this
    guard it rewrites a recorded row. An ordinary append never matches.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    keys = sorted({tuple(c["columns"]) for c in constraints.values()
                   if (c["unique"] or c["primary_key"]) and c["columns"]})
    existing = " OR ".join(
        "(" + " AND ".join(f"{quote(column)} = NEW.{quote(column)}" for column in key) + ")"
        for key in keys
    )
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_replace",
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "  # noqa: S608 (names written in migrations)
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {existing}) BEGIN "
        f"SELECT RAISE(ABORT, 'append-only: INSERT over an existing row of {table} is refused'); END",
    ]


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION tracker_refuse_rewrite()",
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN "
            f"SELECT RAISE(ABORT, 'append-only: UPDATE on {table} is refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
            f"SELECT RAISE(ABORT, 'append-only: DELETE on {table} is refused'); END",
        ]
    raise NotImplementedError(f"No append-only triggers for {vendor}: use PostgreSQL or SQLite.")


def _install(schema_editor, append_only: list[str], versions: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION, params=None)
    for table in append_only:
        for sql in _statements(vendor, table):
            schema_editor.execute(sql)
    for table in versions:
        # One row per (item, version number); and "latest version per item up to
        # revision R" (as-of views, digests) reads one index range.
        schema_editor.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_item_version ON {table} (id, version)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_item_revision ON {table} (id, revision_id)"
        )
    if vendor == "sqlite":  # after the indexes: the guard covers every unique key
        for table in append_only:
            for sql in _sqlite_insert_guard(schema_editor.connection, table):
                schema_editor.execute(sql)


def _uninstall(schema_editor, append_only: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in append_only:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")


def append_only_operation(*, append_only: list[str], versions: list[str]) -> migrations.RunPython:
    """Refuse UPDATE, DELETE and (SQLite) REPLACE on `append_only`; index `versions` by (item, version).

    Installing is idempotent, so a migration after a SQLite table rebuild (which
    drops the old table's triggers and indexes) calls it again to put them back.
    """
    append_only, versions = list(append_only), list(versions)
    return migrations.RunPython(
        lambda apps, schema_editor: _install(schema_editor, append_only, versions),
        lambda apps, schema_editor: _uninstall(schema_editor, append_only),
    )


def convert_versions(*, append_only: list[str], versions: list[str], convert) -> migrations.RunPython:
    """A data migration that changes how version rows store a value, not what they say.

    Append-only means no one rewrites what was recorded. A schema change that
    moves each stored value to its exact equivalent in new columns (and back, in
    reverse) must still reach the old rows, or their history would lose it: the
    triggers on `append_only` are lifted for `convert(apps, schema_editor)` and
    put back in the same migration transaction, so no other write can slip in.
    `convert` is `(forwards, backwards)`.
    """
    forwards, backwards = convert

    def run(step):
        def migrate(apps, schema_editor):
            _uninstall(schema_editor, append_only)
            step(apps, schema_editor)
            _install(schema_editor, append_only, versions)
        return migrate

    return migrations.RunPython(run(forwards), run(backwards))
