"""Database-level guarantees: append-only version and revision tables, lookup indexes."""

from django.db import migrations

APPEND_ONLY_TABLES = [
    "events_revision",
    "events_historicalstory",
    "events_historicaldevelopment",
    "events_historicaldevelopment_actors",
    "events_historicaldevelopment_sources",
    "claims_historicalactor",
    "claims_historicalsource",
    "claims_historicalclaim",
    "claims_historicalclaim_sources",
]

VERSION_TABLES = [
    "events_historicalstory",
    "events_historicaldevelopment",
    "claims_historicalactor",
    "claims_historicalsource",
    "claims_historicalclaim",
]

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


def _install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION, params=None)
    for table in APPEND_ONLY_TABLES:
        for sql in _statements(vendor, table):
            schema_editor.execute(sql)
    for table in VERSION_TABLES:
        # One row per (item, version number); and "latest version per item up to
        # revision R" (as-of views, digests) reads one index range.
        schema_editor.execute(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_item_version ON {table} (id, version)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_item_revision ON {table} (id, revision_id)"
        )


def _uninstall(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for table in APPEND_ONLY_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def append_only_operation() -> migrations.RunPython:
    return migrations.RunPython(_install, _uninstall)
