"""Make version and revision tables append-only in the database itself."""

from django.db import migrations

from events.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("claims", "0002_initial"),
    ]

    operations = [append_only_operation()]
