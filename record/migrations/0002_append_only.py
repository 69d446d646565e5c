"""The revision log is append-only in the database itself."""

from django.db import migrations

from record.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]

    # Written out, not read from the registry: what this migration does never changes.
    operations = [append_only_operation(append_only=["record_revision"], versions=[])]
