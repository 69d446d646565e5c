"""Create the editors group with the permissions an editor needs."""

from django.db import migrations

from desk.roles import sync_editors_group

# Written out, not read from the registry: what this migration does never changes.
EDITOR_PERMISSIONS = [
    ("record", "view_revision"),
    ("events", "add_story"), ("events", "change_story"), ("events", "view_story"),
    ("events", "add_actor"), ("events", "change_actor"), ("events", "view_actor"),
    ("events", "add_source"), ("events", "change_source"), ("events", "view_source"),
    ("events", "add_development"), ("events", "change_development"), ("events", "view_development"),
    ("claims", "add_claim"), ("claims", "change_claim"), ("claims", "view_claim"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0001_initial"),
        ("events", "0001_initial"),
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(
        lambda apps, schema_editor: sync_editors_group(apps, permissions=EDITOR_PERMISSIONS),
        migrations.RunPython.noop,
    )]
