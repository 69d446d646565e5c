"""Create the editors group with the permissions an editor needs."""

from django.db import migrations

from events.roles import sync_editors_group


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_append_only"),
        ("claims", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
