"""Bulk inserts at COPY speed, for seeding large data (``manage.py seed_scale``).

``bulk_insert(model, objs)`` sets each object's primary key (taken from the
table's sequence in one query) and writes the rows with PostgreSQL's ``COPY``,
several times faster than ``bulk_create``'s multi-row INSERTs; on other
databases it is ``bulk_create``. No ``save()``, no signals: for seeding only.

``bulk_load(*models)`` wraps a large load (a million rows) in one transaction
that, on PostgreSQL, drops the tables' plain indexes and foreign keys first and
rebuilds them at the end: one sort per index and one join per key instead of an
index insert and a key lookup per row, and no wait for a durable commit.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models, transaction

# Fields whose attribute value is already what COPY's text format reads
# (str() of an int, a str, an aware datetime, a date or a TextChoices member).
_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.IntegerField,
    models.CharField,
    models.TextField,
    models.DateField,  # DateTimeField is a DateField
    models.ForeignKey,
)
# ...as long as they are Django's own (or django-fsm's CharField): a project
# field that encrypts or encodes its value goes through its own preparation.
_PLAIN_MODULES = ("django.db.models.", "django_fsm")


def _converter(field) -> Callable[[object], object]:
    """A function giving ``field``'s COPY value for an object; the field's own
    preparation only where a plain attribute read would not do."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _prepared(field)
    if isinstance(field, models.BooleanField):

        def boolean(obj):
            value = getattr(obj, attname)
            return r"\N" if value is None else ("t" if value else "f")

        return boolean
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def as_json(obj):
            value = getattr(obj, attname)
            return r"\N" if value is None else json.dumps(value, cls=encoder)

        return as_json
    if isinstance(field, _PLAIN_FIELDS) and type(field).__module__.startswith(_PLAIN_MODULES):

        def plain(obj):
            value = getattr(obj, attname)
            return r"\N" if value is None else value

        return plain

    return _prepared(field)


def _prepared(field) -> Callable[[object], object]:
    def prepared(obj):
        value = field.get_db_prep_save(field.pre_save(obj, add=True), connection=connection)
        if value is None:
            return r"\N"
        if hasattr(value, "dumps"):  # an adapter (JSON)
            return value.dumps(value.adapted)
        return value

    return prepared


def bulk_insert(model, objs: Sequence) -> Sequence:
    """Insert ``objs`` (unsaved instances of ``model``) and set their primary keys."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs)
    meta = model._meta
    table, pk = meta.db_table, meta.pk
    fields = list(meta.concrete_fields)
    converters = [_converter(f) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        for obj, (pk_value,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk_value
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows([convert(obj) for convert in converters] for obj in objs)
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN "
            "WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


@contextmanager
def bulk_load(*load_models, rows: int) -> Iterator[None]:
    """One transaction for loading about ``rows`` rows into each of ``load_models``' tables.

    On PostgreSQL, when the load at least doubles the largest table (rebuilding
    costs a pass over every row, old and new), the tables' non-unique indexes
    and their foreign keys are dropped at the start and rebuilt at the end,
    inside the transaction: if anything fails, the rows, the indexes and the
    keys all roll back together. Unique indexes (primary keys, unique
    constraints) stay, so duplicates still fail at once; rebuilding validates
    every foreign key in one join. Other sessions writing these tables wait for
    the load: for seeding only.
    """
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        tables = [m._meta.db_table for m in load_models]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(
                "SELECT coalesce(max(greatest(reltuples, 0)), 0) FROM pg_class"
                " WHERE oid = ANY(%s::regclass[])",
                [tables],
            )
            indexes, keys = [], []
            if cursor.fetchone()[0] <= rows:  # else a small addition: keep the indexes
                indexes, keys = _droppable(cursor, tables)
            for drop, _ in keys + indexes:
                cursor.execute(drop)
        yield
        if indexes or keys:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for _, create in indexes + keys:
                    cursor.execute(create)


def _droppable(cursor, tables: list[str]) -> tuple[list, list]:
    """(drop, create) statements of the tables' plain indexes and foreign keys."""
    cursor.execute(
        "SELECT format('DROP INDEX %%I.%%I', n.nspname, c.relname),"
        " pg_get_indexdef(i.indexrelid)"
        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE i.indrelid = ANY(%s::regclass[])"
        " AND NOT i.indisunique AND NOT i.indisprimary",
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),"
        " format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,"
        " pg_get_constraintdef(oid))"
        " FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
        [tables],
    )
    return indexes, cursor.fetchall()
