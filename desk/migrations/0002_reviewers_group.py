"""Editors may keep "What we know" and drafts; the reviewers group approves drafts."""

from django.db import migrations

from desk.roles import REVIEWERS_GROUP, sync_editors_group

# Written out, not read from the registry: what this migration does never changes.
EDITOR_PERMISSIONS = [
    ("record", "view_revision"),
    ("events", "add_story"), ("events", "change_story"), ("events", "view_story"),
    ("events", "add_actor"), ("events", "change_actor"), ("events", "view_actor"),
    ("events", "add_source"), ("events", "change_source"), ("events", "view_source"),
    ("events", "add_development"), ("events", "change_development"), ("events", "view_development"),
    ("claims", "add_claim"), ("claims", "change_claim"), ("claims", "view_claim"),
    ("events", "add_briefing"), ("events", "change_briefing"), ("events", "view_briefing"),
    ("drafts", "add_draft"), ("drafts", "change_draft"), ("drafts", "view_draft"),
]
REVIEWER_PERMISSIONS = [("drafts", "review_draft"), ("drafts", "view_draft"), ("drafts", "change_draft")]


def _sync(apps, schema_editor) -> None:
    sync_editors_group(apps, permissions=EDITOR_PERMISSIONS)
    sync_editors_group(apps, permissions=REVIEWER_PERMISSIONS, group_name=REVIEWERS_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_editors_group"),
        ("events", "0004_briefing_and_key_developments"),
        ("drafts", "0001_initial"),
    ]

    operations = [migrations.RunPython(_sync, migrations.RunPython.noop)]
