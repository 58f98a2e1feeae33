"""Trigram indexes for the ITSM stub page's search (title or requestor contains ...), so
a search over 100,000 stub tickets reads the matching rows, not the table (issue 17).

PostgreSQL only, and only where the ``pg_trgm`` extension is installed or this
database user may install it (it is a trusted extension from PostgreSQL 13):
elsewhere the search still works, by scanning. The indexes match the SQL of
Django's ``icontains``: ``UPPER(column::text) LIKE UPPER(%s)``.
"""

from django.db import migrations

INDEXES = {
    "stub_ticket_title_trgm_idx": '(UPPER(("title")::text)) gin_trgm_ops',
    "stub_ticket_requestor_trgm_idx": '(UPPER(("requestor_email")::text)) gin_trgm_ops',
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
            f"CREATE INDEX IF NOT EXISTS {name} ON integrations_stubitsmticket "
            f"USING gin ({expression})"
        )


def backwards(apps, schema_editor):
    # The extension stays: other apps' indexes may use it.
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("integrations", "0003_asset_owner_and_job_runs")]

    operations = [migrations.RunPython(forwards, backwards)]
