"""The ticket's user and team sort keys (issue #17), filled from the names they copy.

Reversible: going back drops the two columns, so the backfill has nothing to undo.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Left, Lower, NullIf

# refresh.models.sort_keys.SORT_NAME_LENGTH when this was written.
LENGTH = 254


def backfill(apps, schema_editor):
    """What ``sort_keys.user_sort_name`` / ``team_sort_name`` give, in two UPDATEs."""
    ticket = apps.get_model("refresh", "RefreshTicket")
    user = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    team = apps.get_model("accounts", "SupportTeam")
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, not at commit: the indexes below cannot be built while
        # the UPDATEs' deferred foreign-key checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    name = Coalesce(NullIf(F("full_name"), Value("")), F("email"))
    ticket.objects.filter(user__isnull=False).update(
        user_sort_name=Subquery(
            user.objects.filter(pk=OuterRef("user_id"))
            .annotate(key=Left(Lower(name), LENGTH))
            .values("key")[:1]
        )
    )
    ticket.objects.filter(support_team__isnull=False).update(
        team_sort_name=Subquery(
            team.objects.filter(pk=OuterRef("support_team_id"))
            .annotate(key=Left(Lower("name"), LENGTH))
            .values("key")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_portal_access"),
        ("refresh", "0009_audit_stay_per_status"),
        ("scheduling", "0004_merge_feed_tokens_and_generic_slots"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="refreshticket",
            name="team_sort_name",
            field=models.CharField(editable=False, max_length=254, null=True),
        ),
        migrations.AddField(
            model_name="refreshticket",
            name="user_sort_name",
            field=models.CharField(editable=False, max_length=254, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="refreshticket",
            index=models.Index(fields=["user_sort_name", "id"], name="refresh_tkt_user_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="refreshticket",
            index=models.Index(
                fields=["team_sort_name", "-created_at", "-id"],
                name="refresh_tkt_teamname_sort_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="refreshticket",
            index=models.Index(
                fields=["status", "user_sort_name", "id"], name="refresh_tkt_status_user_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="refreshticket",
            index=models.Index(
                fields=["status", "team_sort_name", "-created_at", "-id"],
                name="refresh_tkt_status_team_idx",
            ),
        ),
    ]
