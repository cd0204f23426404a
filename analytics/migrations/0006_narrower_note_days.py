"""The note-days as narrow as the metric rows they come from (integer figures, the day's rates as reported instead
of six rate-times-reads columns) and without an index by account: the metrics ingest reads and writes a note-day
for each of its rows, and each new day cost an entry in that index (bench/README.md, Analytics). A stored rate is
its weighted figure over its reads; a day with no reads had nothing to weigh and keeps no rate, which leaves every
range's rate as it was."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.functions import Cast, Coalesce


RATES = {"play_5s_rate": "play_5s", "read_3s_rate": "read_3s", "avg_view_seconds": "view_seconds"}


def rates_from_weights(apps, schema_editor):
    NoteDay = apps.get_model("analytics", "NoteDay")
    NoteDay.objects.update(
        **{
            # As a float: SQLite divides integers as integers (a weighted 211.0 is stored as 211). Exact to the
            # stored places here, as a weighted figure has at most 15 digits.
            rate: Case(When(**{f"{stem}_reads__gt": 0}, then=Cast(f"{stem}_weighted", FloatField()) / F(f"{stem}_reads")))
            for rate, stem in RATES.items()
        }
    )


def weights_from_rates(apps, schema_editor):
    NoteDay = apps.get_model("analytics", "NoteDay")
    changes = {}
    for rate, stem in RATES.items():
        changes[f"{stem}_weighted"] = Coalesce(F(rate) * F("reads"), Value(Decimal(0)))
        changes[f"{stem}_reads"] = Case(When(**{f"{rate}__isnull": False}, then=F("reads")), default=Value(0))
    NoteDay.objects.update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0005_rollups_fillfactor'),
    ]

    operations = [
        migrations.AddField(
            model_name='noteday',
            name='avg_view_seconds',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, verbose_name='average view seconds'),
        ),
        migrations.AddField(
            model_name='noteday',
            name='play_5s_rate',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='5 s play rate'),
        ),
        migrations.AddField(
            model_name='noteday',
            name='read_3s_rate',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='3 s read rate'),
        ),
        migrations.RunPython(rates_from_weights, weights_from_rates),
        migrations.RemoveField(
            model_name='noteday',
            name='play_5s_reads',
        ),
        migrations.RemoveField(
            model_name='noteday',
            name='play_5s_weighted',
        ),
        migrations.RemoveField(
            model_name='noteday',
            name='read_3s_reads',
        ),
        migrations.RemoveField(
            model_name='noteday',
            name='read_3s_weighted',
        ),
        migrations.RemoveField(
            model_name='noteday',
            name='view_seconds_reads',
        ),
        migrations.RemoveField(
            model_name='noteday',
            name='view_seconds_weighted',
        ),
        migrations.AlterField(
            model_name='noteday',
            name='exposure',
            field=models.IntegerField(default=0, verbose_name='exposure'),
        ),
        migrations.AlterField(
            model_name='noteday',
            name='leads',
            field=models.IntegerField(default=0, verbose_name='leads'),
        ),
        migrations.AlterField(
            model_name='noteday',
            name='read_uv',
            field=models.IntegerField(default=0, verbose_name='read UV'),
        ),
        migrations.AlterField(
            model_name='noteday',
            name='reads',
            field=models.IntegerField(default=0, verbose_name='reads'),
        ),
        migrations.RemoveIndex(
            model_name='noteday',
            name='analytics_n_red_acc_0084f7_idx',
        ),
    ]
