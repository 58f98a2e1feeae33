"""PostgreSQL prepared statements for the queries ``common.prepared`` compiles once.

PostgreSQL plans every query it receives as text. For the detail pages' reads
(a row by id with nine to eleven joins) planning took 0.6 to 1.6 ms while
running took under 0.1 ms (EXPLAIN ANALYZE, issue #17). A statement prepared on
the connection (``PREPARE name (types) AS ...``, then ``EXECUTE name(values)``)
keeps its plan: after five runs PostgreSQL settles on the generic plan and plans
no more, for as long as the connection lives (``CONN_MAX_AGE``).

Each connection prepares a statement the first time it runs it. ``PREPARE`` is
sent on the driver's own cursor, outside Django's query log: it is part of the
connection's set-up, so a page's query count does not depend on whether its
connection is new. ``PREPARE`` is not undone by a rollback, so a statement
prepared inside a transaction that rolls back is still there.

Turn it off with ``DATABASE_PREPARED_STATEMENTS=false`` behind a pooler that
hands one connection to many clients per transaction (PgBouncer's transaction
mode), where a statement prepared on one server connection is not on the next.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re

from django.conf import settings

# PostgreSQL's type for each parameter type these queries use (bool before int:
# a bool is an int to Python). Anything else runs as plain text SQL.
_TYPES = (
    (bool, "boolean"),
    (int, "bigint"),
    (str, "text"),
    (dt.datetime, "timestamptz"),
    (dt.date, "date"),
    (decimal.Decimal, "numeric"),
    (float, "double precision"),
)
_PLACEHOLDER = re.compile(r"%[s%]")


def _type(value) -> str | None:
    return next((name for kind, name in _TYPES if isinstance(value, kind)), None)


def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as ``$1, $2, ...`` (and ``%%`` as ``%``)."""
    count = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(count)}", sql)


class ServerStatement:
    """One query's SQL, prepared on each PostgreSQL connection that runs it."""

    def __init__(self, name: str, sql: str, params: tuple):
        types = [_type(p) for p in params]
        self.name = name
        placeholders = sum(1 for m in _PLACEHOLDER.finditer(sql) if m.group() == "%s")
        self.usable = None not in types and placeholders == len(params)
        self.prepare = (
            f"PREPARE {name} ({', '.join(types)}) AS {_numbered(sql)}"
            if params and self.usable
            else f"PREPARE {name} AS {_numbered(sql)}"
        )
        self.execute = (
            f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
        )

    def sql_for(self, connection) -> str | None:
        """The ``EXECUTE`` to send on ``connection`` (preparing it there first), or
        None where the query runs as plain SQL (another database, turned off, or
        connections not kept between requests)."""
        if (
            not self.usable
            or connection.vendor != "postgresql"
            or not getattr(settings, "DATABASE_PREPARED_STATEMENTS", True)
            # A connection closed after each request would prepare on every one.
            or connection.settings_dict.get("CONN_MAX_AGE") == 0
        ):
            return None
        connection.ensure_connection()
        raw = connection.connection
        known = connection.__dict__.get("_prepared_statements")
        if known is None or known[0] is not raw:
            # A new connection (or the first): it has prepared nothing yet.
            known = connection.__dict__["_prepared_statements"] = (raw, set())
        if self.name not in known[1]:
            with raw.cursor() as cursor:
                cursor.execute(self.prepare)
            known[1].add(self.name)
        return self.execute
