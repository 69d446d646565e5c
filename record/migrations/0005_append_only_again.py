"""Put the append-only triggers back, and on SQLite refuse INSERT OR REPLACE over a recorded row."""

from django.db import migrations

from record.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [('record', '0004_revision_kind_capture')]

    # Written out, not read from the registry: what this migration does never changes.
    operations = [append_only_operation(
        append_only=["record_revision", "record_logleaf", "record_lognode", "record_logcheckpoint"],
        versions=[],
    )]
