"""PostgreSQL: every transaction that appends revisions NOTIFYs `record_revision` with the newest id.

The notification is part of the committing transaction: PostgreSQL delivers
it to listeners only when that transaction commits, never for one rolled
back, and in commit order (edge/watch.py listens). One per INSERT statement,
so a bulk append notifies once. SQLite has no LISTEN/NOTIFY: nothing to do.
"""

from django.db import migrations

_FUNCTION = """
CREATE OR REPLACE FUNCTION tracker_notify_revision() RETURNS trigger AS $$
DECLARE newest bigint;
BEGIN
    SELECT max(id) INTO newest FROM appended;
    IF newest IS NOT NULL THEN
        PERFORM pg_notify('record_revision', newest::text);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

_TRIGGER = ("CREATE TRIGGER record_revision_notify AFTER INSERT ON record_revision "
            "REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION tracker_notify_revision()")


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_FUNCTION, params=None)
        schema_editor.execute("DROP TRIGGER IF EXISTS record_revision_notify ON record_revision")
        schema_editor.execute(_TRIGGER)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS record_revision_notify ON record_revision")
        schema_editor.execute("DROP FUNCTION IF EXISTS tracker_notify_revision()")


class Migration(migrations.Migration):
    dependencies = [("record", "0006_log_tiles")]

    operations = [migrations.RunPython(install, uninstall)]
