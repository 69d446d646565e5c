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


def _uninstall(schema_editor, append_only: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in append_only:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def append_only_operation(*, append_only: list[str], versions: list[str]) -> migrations.RunPython:
    """Refuse UPDATE and DELETE on `append_only`; index `versions` by (item, version)."""
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
