"""Versions of stories, developments, actors and sources, and revisions' stories, are append-only."""

from django.db import migrations

from record.db import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial"), ("record", "0002_append_only")]

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
        ],
        versions=[
            "events_historicalstory",
            "events_historicalactor",
            "events_historicalsource",
            "events_historicaldevelopment",
        ],
    )]
