from django.db import migrations, models

# Each transition row ends the stay its ticket's previous transition row began:
# stay = its time - the previous non-edit row's time (the first row of a ticket,
# its creation, ends nothing; admin edits are no transition and are skipped).
# One UPDATE with a window over each ticket's rows.
FILL_POSTGRESQL = """
UPDATE refresh_refreshticketaudit
SET stay_seconds = EXTRACT(EPOCH FROM w.created_at - w.previous)
FROM (
    SELECT id, created_at,
           LAG(created_at) OVER (PARTITION BY ticket_id ORDER BY created_at, id) AS previous
    FROM refresh_refreshticketaudit
    WHERE transition <> 'admin_edited'
) w
WHERE w.id = refresh_refreshticketaudit.id AND w.previous IS NOT NULL
"""
# SQLite (3.33+: UPDATE ... FROM) keeps times as text: julianday() reads them.
FILL_SQLITE = """
UPDATE refresh_refreshticketaudit
SET stay_seconds = (julianday(w.created_at) - julianday(w.previous)) * 86400.0
FROM (
    SELECT id, created_at,
           LAG(created_at) OVER (PARTITION BY ticket_id ORDER BY created_at, id) AS previous
    FROM refresh_refreshticketaudit
    WHERE transition <> 'admin_edited'
) w
WHERE w.id = refresh_refreshticketaudit.id AND w.previous IS NOT NULL
"""


def fill_stays(apps, schema_editor):
    sql = FILL_POSTGRESQL if schema_editor.connection.vendor == "postgresql" else FILL_SQLITE
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("refresh", "0008_merge_indexes_and_tracking"),
    ]

    operations = [
        migrations.AddField(
            model_name="refreshticketaudit",
            name="stay_seconds",
            field=models.FloatField(
                blank=True,
                help_text="How long (seconds) the ticket had been in from_status when this "
                "transition took it out: from the previous transition to this one. Empty on a "
                "ticket's first row and on edits. The refresh dashboard's days per status are "
                "percentiles of it.",
                null=True,
            ),
        ),
        # Reversing drops the column with what this filled: nothing to undo.
        migrations.RunPython(fill_stays, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="refreshticketaudit",
            index=models.Index(
                condition=models.Q(("stay_seconds__isnull", False)),
                fields=["from_status", "stay_seconds"],
                name="refresh_audit_stay_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="refreshticketaudit",
            index=models.Index(
                fields=["to_status", "created_at"],
                include=["ticket"],
                name="refresh_audit_to_status_idx",
            ),
        ),
    ]
