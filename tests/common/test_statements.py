"""Prepared queries as PostgreSQL prepared statements (``common.statements``): each
connection prepares a query once and then only executes it, PostgreSQL stops
planning it, and the rows are the same as the plain SQL's."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from common.prepared import Prepared
from common.statements import ServerStatement, _numbered
from orders.models import Order
from tests.orders.factories import OrderFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statements"),
]


def _by_number(number: int):
    return Order.objects.select_related("organization", "submitted_by").filter(number=number)


def _run(prepared: Prepared, number: int) -> tuple[list, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        rows = prepared.all(number=number)
    return rows, [q["sql"] for q in ctx.captured_queries]


def _plans(prefix: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE %s",
            [prefix + "%"],
        )
        return cursor.fetchone()


def test_a_connection_prepares_once_then_executes_and_postgresql_stops_planning():
    order = OrderFactory()
    prepared = Prepared(_by_number)
    rows, sql = _run(prepared, order.number)
    assert rows == list(_by_number(order.number))
    assert rows[0].organization.name == order.organization.name
    assert len(sql) == 1
    assert sql[0].startswith(f"EXECUTE handover_{prepared._number}_all(")
    for _ in range(10):
        assert _run(prepared, order.number)[0] == rows
    generic, custom = _plans(f"handover_{prepared._number}_all")
    # Planned at most five times in eleven runs, then the generic plan.
    assert custom <= 5
    assert generic >= 6
    assert _run(prepared, order.number + 1)[0] == []


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    order = OrderFactory()
    prepared = Prepared(_by_number)
    assert prepared.first(number=order.number) == order
    connection.close()  # the server forgets its statements with the connection
    assert prepared.first(number=order.number) == order


def test_a_rollback_keeps_the_statement():
    order = OrderFactory()
    prepared = Prepared(_by_number)
    try:
        with transaction.atomic():
            assert prepared.first(number=order.number) == order
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert prepared.first(number=order.number) == order


def test_turned_off_it_runs_plain_sql(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    order = OrderFactory()
    rows, sql = _run(Prepared(_by_number), order.number)
    assert rows == [order]
    assert sql[0].startswith("SELECT ")


def test_connections_not_kept_between_requests_run_plain_sql(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    order = OrderFactory()
    rows, sql = _run(Prepared(_by_number), order.number)
    assert rows == [order]
    assert sql[0].startswith("SELECT ")


def test_statement_text_numbers_placeholders_and_types_values():
    statement = ServerStatement("s1", "SELECT %s || '%%' WHERE a = %s AND b = %s", ("x", 2, True))
    assert statement.usable
    assert (
        statement.prepare
        == "PREPARE s1 (text, bigint, boolean) AS SELECT $1 || '%' WHERE a = $2 AND b = $3"
    )
    assert statement.execute == "EXECUTE s1(%s, %s, %s)"
    assert _numbered("SELECT 1") == "SELECT 1"
    # A value of a type it cannot name (a list) leaves the query as plain SQL.
    assert not ServerStatement("s2", "SELECT %s", ([1, 2],)).usable
    assert ServerStatement("s2", "SELECT %s", ([1, 2],)).sql_for(connection) is None
