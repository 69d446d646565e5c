"""Stories' "What we know" (versioned, append-only) and developments' key-development flag."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from record.db import append_only_operation


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_places_and_precision'),
        ('record', '0003_transparency_log'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='development',
            name='key_event',
            field=models.BooleanField(default=False, help_text="One of the few developments a reader must know: shown in 'Key developments'.", verbose_name='key development'),
        ),
        migrations.AddField(
            model_name='historicaldevelopment',
            name='key_event',
            field=models.BooleanField(default=False, help_text="One of the few developments a reader must know: shown in 'Key developments'.", verbose_name='key development'),
        ),
        migrations.CreateModel(
            name='Briefing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=0, editable=False)),
                ('text', models.TextField(help_text='A few sentences: what is known now.', verbose_name='what we know')),
                ('story', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='briefing', to='events.story')),
            ],
            options={
                'verbose_name': 'what we know',
                'verbose_name_plural': 'what we know',
                'ordering': ['story'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalBriefing',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=0, editable=False)),
                ('text', models.TextField(help_text='A few sentences: what is known now.', verbose_name='what we know')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField()),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='record.revision')),
                ('story', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.story')),
            ],
            options={
                'verbose_name': 'historical what we know',
                'verbose_name_plural': 'historical what we know',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
                'indexes': [models.Index(fields=['history_date', 'id'], name='events_hist_history_3222e1_idx')],
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # Written out, not read from the registry. The development history table is
        # named again: SQLite may rebuild a table to add a column, dropping its triggers.
        append_only_operation(
            append_only=["events_historicalbriefing", "events_historicaldevelopment"],
            versions=["events_historicalbriefing"],
        ),
    ]
