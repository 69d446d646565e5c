"""Put back the triggers and indexes SQLite's rebuild of events_historicalsource (0005) lost, and refuse REPLACE."""

from django.db import migrations

from record.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [('events', '0005_source_archive'), ('record', '0005_append_only_again')]

    # Written out, not read from the registry: what this migration does never changes.
    operations = [append_only_operation(
        append_only=[
            "events_storyrevision",
            "events_historicalstory",
            "events_historicalactor",
            "events_historicalsource",
            "events_historicaldevelopment",
            "events_historicaldevelopment_actors",
            "events_historicaldevelopment_sources",
            "events_historicalbriefing",
        ],
        versions=[
            "events_historicalstory",
            "events_historicalactor",
            "events_historicalsource",
            "events_historicaldevelopment",
            "events_historicalbriefing",
        ],
    )]
