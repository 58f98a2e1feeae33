"""Trigram indexes for ``icontains`` searches, as a migration operation.

PostgreSQL only, and only where the ``pg_trgm`` extension is installed or the
database user may install it (a trusted extension from PostgreSQL 13): elsewhere
the operation does nothing and the search still works, by scanning. Index
expressions must match the SQL of Django's ``icontains``:
``UPPER(column::text) LIKE UPPER(%s)``, e.g. ``'(UPPER(("title")::text)) gin_trgm_ops'``.
"""

from __future__ import annotations

from django.db import migrations


def _trigram_available(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT installed_version IS NOT NULL, "
            "has_database_privilege(current_database(), 'CREATE') "
            "FROM pg_available_extensions WHERE name = 'pg_trgm'"
        )
        row = cursor.fetchone()
    return bool(row) and (row[0] or row[1])


def trigram_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """A migration operation creating ``indexes`` (name -> GIN expression) on
    ``table``; reversing drops them and keeps the extension (others may use it)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        if not _trigram_available(schema_editor):
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, expression in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards)
