"""Versions of claims are append-only in the database itself."""

from django.db import migrations

from record.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial"), ("record", "0002_append_only")]

    # Written out, not read from the registry: what this migration does never changes.
    operations = [append_only_operation(
        append_only=["claims_historicalclaim", "claims_historicalclaim_sources"],
        versions=["claims_historicalclaim"],
    )]
