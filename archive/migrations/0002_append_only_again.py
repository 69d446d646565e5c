"""Captures are append-only on SQLite against REPLACE too."""

from django.db import migrations

from record.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [('archive', '0001_initial'), ('record', '0005_append_only_again')]

    # Written out, not read from the registry: what this migration does never changes.
    operations = [append_only_operation(
        append_only=["archive_capture"],
        versions=[],
    )]
