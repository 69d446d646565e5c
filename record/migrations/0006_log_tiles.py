"""The log's entries (C2SP-bundle-sized) beside its full lines, and full tiles stored once."""

from django.db import migrations, models

from record.db import append_only_operation


class Migration(migrations.Migration):

    dependencies = [
        ('record', '0005_append_only_again'),
    ]

    operations = [
        migrations.CreateModel(
            name='LogTile',
            fields=[
                ('path', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('data', models.BinaryField()),
            ],
        ),
        migrations.AddField(
            model_name='logleaf',
            name='entry',
            field=models.BinaryField(default=b''),
        ),
        # Written out, not read from the registry: what this migration does never changes.
        # (SQLite rebuilds record_logleaf for the new column, dropping its triggers.)
        append_only_operation(
            append_only=["record_revision", "record_logleaf", "record_lognode", "record_logtile",
                         "record_logcheckpoint"],
            versions=[],
        ),
    ]
