import django.db.models.deletion
from django.db import migrations, models

# Each transition row ends the stay its ticket's previous transition row began:
# stay = its time - the previous non-edit row's time (the first row of a ticket,
# its creation, ends nothing; admin edits are no transition and are skipped).
# Transition rows also get the ticket's support team (its team now: which team
# held it then was not recorded). One UPDATE with a window over each ticket's rows.
FILL_POSTGRESQL = """
UPDATE refresh_refreshticketaudit
SET stay_seconds = EXTRACT(EPOCH FROM w.created_at - w.previous),
    support_team_id = w.support_team_id
FROM (
    SELECT a.id, a.created_at, t.support_team_id,
           LAG(a.created_at) OVER (PARTITION BY a.ticket_id ORDER BY a.created_at, a.id)
               AS previous
    FROM refresh_refreshticketaudit a
    JOIN refresh_refreshticket t ON t.id = a.ticket_id
    WHERE a.transition <> 'admin_edited'
) w
WHERE w.id = refresh_refreshticketaudit.id
"""
# SQLite (3.33+: UPDATE ... FROM) keeps times as text: julianday() reads them.
FILL_SQLITE = """
UPDATE refresh_refreshticketaudit
SET stay_seconds = (julianday(w.created_at) - julianday(w.previous)) * 86400.0,
    support_team_id = w.support_team_id
FROM (
    SELECT a.id, a.created_at, t.support_team_id,
           LAG(a.created_at) OVER (PARTITION BY a.ticket_id ORDER BY a.created_at, a.id)
               AS previous
    FROM refresh_refreshticketaudit a
    JOIN refresh_refreshticket t ON t.id = a.ticket_id
    WHERE a.transition <> 'admin_edited'
) w
WHERE w.id = refresh_refreshticketaudit.id
"""


def fill_stays(apps, schema_editor):
    sql = FILL_POSTGRESQL if schema_editor.connection.vendor == "postgresql" else FILL_SQLITE
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
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
        migrations.AddField(
            model_name="refreshticketaudit",
            name="support_team",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The ticket's support team at this transition (the refresh "
                "dashboard's installs per team and week read it without the tickets). Empty "
                "on edits.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.supportteam",
            ),
        ),
        # Reversing drops the columns with what this filled: nothing to undo.
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
                include=["ticket", "support_team"],
                name="refresh_audit_to_status_idx",
            ),
        ),
    ]
