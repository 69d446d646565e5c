"""Figures with their uncertainty (unit, group, low/best/high, note) and quotes in their original language.

Existing figures move without loss, in current rows and in every version:
"at least N" becomes low N, "at most N" high N, and "exactly N" / "about N"
best N (back again in reverse).
"""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce

import claims.models
from record.db import convert_versions

# Written out: what this migration does never changes.
TABLES = ["claims_historicalclaim", "claims_historicalclaim_sources"]


def figures_to_bounds(apps, schema_editor):
    for name in ("Claim", "HistoricalClaim"):
        rows = apps.get_model("claims", name).objects.filter(figure_value__isnull=False)
        rows.filter(figure_qualifier="at_least").update(figure_low=F("figure_value"))
        rows.filter(figure_qualifier="at_most").update(figure_high=F("figure_value"))
        rows.exclude(figure_qualifier__in=["at_least", "at_most"]).update(figure_best=F("figure_value"))


def bounds_to_figures(apps, schema_editor):
    for name in ("Claim", "HistoricalClaim"):
        apps.get_model("claims", name).objects.update(
            figure_value=Coalesce("figure_best", "figure_low", "figure_high"))


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0002_append_only'),
        ('events', '0003_places_and_precision'),
    ]

    operations = [
        migrations.AddField(
            model_name='claim',
            name='figure_best',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='figure_group',
            field=models.CharField(blank=True, help_text="e.g. 'civilians', 'children'.", max_length=60),
        ),
        migrations.AddField(
            model_name='claim',
            name='figure_high',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='figure_low',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='figure_note',
            field=models.TextField(blank=True, help_text="How words became numbers, e.g. 'dozens' coded as 12."),
        ),
        migrations.AddField(
            model_name='claim',
            name='quote_language',
            field=models.CharField(blank=True, help_text="BCP 47 tag of the original, e.g. 'az', 'hy', 'ru'.", max_length=35, validators=[claims.models.language_tag_validator]),
        ),
        migrations.AddField(
            model_name='claim',
            name='quote_original',
            field=models.TextField(blank=True, help_text='The words as they were said.'),
        ),
        migrations.AddField(
            model_name='claim',
            name='quote_translator',
            field=models.CharField(blank=True, help_text="Who translated it: a named outlet, or 'the newsroom'.", max_length=200),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='figure_best',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='figure_group',
            field=models.CharField(blank=True, help_text="e.g. 'civilians', 'children'.", max_length=60),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='figure_high',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='figure_low',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='figure_note',
            field=models.TextField(blank=True, help_text="How words became numbers, e.g. 'dozens' coded as 12."),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='quote_language',
            field=models.CharField(blank=True, help_text="BCP 47 tag of the original, e.g. 'az', 'hy', 'ru'.", max_length=35, validators=[claims.models.language_tag_validator]),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='quote_original',
            field=models.TextField(blank=True, help_text='The words as they were said.'),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='quote_translator',
            field=models.CharField(blank=True, help_text="Who translated it: a named outlet, or 'the newsroom'.", max_length=200),
        ),
        convert_versions(append_only=TABLES, versions=['claims_historicalclaim'],
                         convert=(figures_to_bounds, bounds_to_figures)),
        migrations.RemoveField(
            model_name='claim',
            name='figure_value',
        ),
        migrations.RemoveField(
            model_name='historicalclaim',
            name='figure_value',
        ),
        migrations.AlterField(
            model_name='claim',
            name='figure_qualifier',
            field=models.CharField(blank=True, choices=[('exact', 'exactly'), ('at_least', 'at least'), ('at_most', 'at most'), ('approximately', 'about'), ('unspecified', 'unspecified')], help_text="As reported: 'at least 200' is at least, low 200.", max_length=16),
        ),
        migrations.AlterField(
            model_name='claim',
            name='figure_unit',
            field=models.CharField(blank=True, help_text="e.g. 'deaths', 'displaced'.", max_length=60),
        ),
        migrations.AlterField(
            model_name='claim',
            name='quote',
            field=models.TextField(blank=True, help_text='Verbatim words in English, exactly as reported (the translation, when they were said in another language).'),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='figure_qualifier',
            field=models.CharField(blank=True, choices=[('exact', 'exactly'), ('at_least', 'at least'), ('at_most', 'at most'), ('approximately', 'about'), ('unspecified', 'unspecified')], help_text="As reported: 'at least 200' is at least, low 200.", max_length=16),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='figure_unit',
            field=models.CharField(blank=True, help_text="e.g. 'deaths', 'displaced'.", max_length=60),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='quote',
            field=models.TextField(blank=True, help_text='Verbatim words in English, exactly as reported (the translation, when they were said in another language).'),
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('figure_low__isnull', True), ('figure_best__isnull', True), ('figure_low__lte', models.F('figure_best')), _connector='OR'), models.Q(('figure_best__isnull', True), ('figure_high__isnull', True), ('figure_best__lte', models.F('figure_high')), _connector='OR'), models.Q(('figure_low__isnull', True), ('figure_high__isnull', True), ('figure_low__lte', models.F('figure_high')), _connector='OR')), name='claim_figure_bounds_ordered'),
        ),
    ]
