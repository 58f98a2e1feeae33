"""Trigram indexes for the outbox search (subject or recipient contains ...), so a
search over 100,000 emails reads the matching rows, not the table (issue 17).

PostgreSQL only, and only where the ``pg_trgm`` extension is installed or this
database user may install it (it is a trusted extension from PostgreSQL 13):
elsewhere the search still works, by scanning. The indexes match the SQL of
Django's ``icontains``: ``UPPER(column::text) LIKE UPPER(%s)``.
"""

from django.db import migrations

INDEXES = {
    "outbox_subject_trgm_idx": '(UPPER(("subject")::text)) gin_trgm_ops',
    "outbox_to_trgm_idx": '(UPPER(("to")::text)) gin_trgm_ops',
}


def _trigram_available(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT installed_version IS NOT NULL, "
            "has_database_privilege(current_database(), 'CREATE') "
            "FROM pg_available_extensions WHERE name = 'pg_trgm'"
        )
        row = cursor.fetchone()
    return bool(row) and (row[0] or row[1])


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _trigram_available(schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON notifications_outboundemail "
            f"USING gin ({expression})"
        )


def backwards(apps, schema_editor):
    # The extension stays: other apps' indexes may use it.
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_outbox_list_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
