"""Calendar feed tokens are stored as their SHA-256: existing subscriptions keep working."""

import hashlib

from django.db import migrations, models


def hash_existing(apps, schema_editor):
    CalendarFeedToken = apps.get_model("scheduling", "CalendarFeedToken")
    for row in CalendarFeedToken.objects.all():
        row.token_hash = hashlib.sha256(row.token.encode()).hexdigest()
        row.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0002_slot_soft_delete"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeedtoken",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeedtoken", name="token"),
        migrations.AlterField(
            model_name="calendarfeedtoken",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
