"""Put back the append-only triggers after SQLite's table rebuilds (0003), and refuse REPLACE."""

from django.db import migrations

from record.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [('claims', '0003_figures_places_quotes'), ('record', '0005_append_only_again')]

    # Written out, not read from the registry: what this migration does never changes.
    operations = [append_only_operation(
        append_only=["claims_historicalclaim", "claims_historicalclaim_sources"],
        versions=["claims_historicalclaim"],
    )]
