"""Drafts, their state changes (append-only), and the drafter and reviewer of a published revision (append-only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from record.db import append_only_operation


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('events', '0004_briefing_and_key_developments'),
        ('record', '0003_transparency_log'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Draft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item_type', models.CharField(help_text='Model label, e.g. events.development.', max_length=64)),
                ('item_id', models.PositiveBigIntegerField(blank=True, help_text='Empty: a new item.', null=True)),
                ('base_version', models.PositiveIntegerField(default=0, help_text='The version the draft was written against (0: a new item).')),
                ('fields', models.JSONField(blank=True, default=dict)),
                ('message', models.TextField()),
                ('kind', models.CharField(choices=[('created', 'Created'), ('update', 'Update'), ('correction', 'Correction'), ('clarification', 'Clarification'), ('retraction', 'Retraction'), ('restore', 'Restore')], max_length=16)),
                ('minor', models.BooleanField(default=False)),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('approved', 'Approved'), ('published', 'Published'), ('discarded', 'Discarded'), ('blocked', 'Blocked')], db_index=True, default='draft', max_length=16)),
                ('blocked_reason', models.TextField(blank=True)),
                ('approved_fingerprint', models.CharField(blank=True, max_length=64)),
                ('publish_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='drafts', to=settings.AUTH_USER_MODEL)),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewed_drafts', to=settings.AUTH_USER_MODEL)),
                ('revision', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='draft', to='record.revision')),
                ('scheduled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='scheduled_drafts', to=settings.AUTH_USER_MODEL)),
                ('story', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='drafts', to='events.story')),
            ],
            options={
                'ordering': ['-updated_at', '-id'],
                'permissions': [('review_draft', 'Can approve or send back drafts (reviewers)')],
            },
        ),
        migrations.CreateModel(
            name='DraftEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('saved', 'Saved'), ('submitted', 'Submitted for review'), ('approved', 'Approved'), ('sent_back', 'Sent back'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('discarded', 'Discarded'), ('blocked', 'Blocked')], max_length=16)),
                ('at', models.DateTimeField()),
                ('comment', models.TextField(blank=True)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='draft_events', to=settings.AUTH_USER_MODEL)),
                ('draft', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='drafts.draft')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='DraftRevision',
            fields=[
                ('revision', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='draft_link', serialize=False, to='record.revision')),
                ('drafted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AddConstraint(
            model_name='draft',
            constraint=models.CheckConstraint(condition=models.Q(('message', ''), _negated=True), name='draft_message_required'),
        ),
        # Written out, not read from the registry: what this migration does never changes.
        append_only_operation(append_only=["drafts_draftevent", "drafts_draftrevision"], versions=[]),
    ]
