# The archive: captures of cited sources (append-only).

import archive.models
import django.db.models.deletion
from django.db import migrations, models

from record.db import append_only_operation


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('events', '0005_source_archive'),
        ('record', '0002_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='Capture',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('citation', 'Cited'), ('check', 'Watched')], max_length=8)),
                ('outcome', models.CharField(choices=[('captured', 'Captured'), ('unchanged', 'Unchanged'), ('changed', 'Changed'), ('gone', 'Gone'), ('failed', 'Failed')], max_length=10)),
                ('requested_url', models.URLField(max_length=2000)),
                ('final_url', models.URLField(blank=True, max_length=2000)),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('content_type', models.CharField(blank=True, max_length=200)),
                ('sha256', models.CharField(blank=True, help_text='SHA-256 of the response payload.', max_length=64)),
                ('size', models.PositiveBigIntegerField(default=0, help_text='Bytes of payload kept.')),
                ('truncated', models.BooleanField(default=False, help_text='The body was cut at OUTBOUND_MAX_BYTES.')),
                ('captured_at', models.DateTimeField(db_index=True)),
                ('warc', models.FileField(blank=True, max_length=300, storage=archive.models.archive_storage, upload_to='')),
                ('text', models.TextField(blank=True, help_text='The page\'s main text as a check compared it (a capture at citation leaves it to the first check).')),
                ('text_diff', models.JSONField(blank=True, default=list, help_text='For a change: word-level diff from the capture at citation.')),
                ('missing', models.BooleanField(default=False, help_text='404/410, or the host did not resolve.')),
                ('error', models.TextField(blank=True)),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='captures', to='events.source')),
            ],
            options={
                'ordering': ['-captured_at', '-id'],
                'indexes': [models.Index(fields=['source', '-captured_at'], name='capture_source_latest')],
            },
        ),
        # Captures are evidence: never rewritten (written out, not read from anywhere).
        append_only_operation(append_only=["archive_capture"], versions=[]),
    ]
