"""Querysets compiled once (``common.prepared``): the rows are the queryset's rows,
a query whose SQL would change between requests is refused, and the prepared
SQL runs on the calling thread's connection."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.prepared import Prepared, prefetched_set
from notifications.models import OutboundEmail
from notifications.selectors import emails_for_object_id
from orders.choices import ActionKind
from orders.models import Order, OrderAction, OrderAudit
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _orders(number: int):
    return (
        Order.objects.select_related("organization", "submitted_by")
        .annotate(
            steps=Count("actions"),
            audited=Exists(OrderAudit.objects.filter(order=OuterRef("pk"))),
        )
        .filter(number__gte=number)
        .order_by("number")
    )


def _with_actions(count: int):
    order = OrderFactory()
    OrderAction.objects.bulk_create(
        OrderAction(order=order, position=p, name=f"Step {p}", kind=ActionKind.MANUAL)
        for p in range(1, count + 1)
    )
    return order


def test_rows_are_the_querysets_rows_with_joins_annotations_and_slices():
    orders = [_with_actions(n) for n in (0, 2, 3)]
    OrderAudit.objects.create(order=orders[1], transition="note", note="Seen")
    prepared = Prepared(_orders)

    for number in [o.number for o in orders] + [orders[-1].number + 1]:
        expected = list(_orders(number))
        rows = prepared.all(number=number)
        assert rows == expected
        assert [(r.steps, r.audited) for r in rows] == [(e.steps, e.audited) for e in expected]
        assert [r.organization.name for r in rows] == [e.organization.name for e in expected]
        assert prepared.all(number=number, rows=slice(1, 3)) == expected[1:3]
    assert prepared.first(number=orders[1].number) == orders[1]
    assert prepared.first(number=orders[-1].number + 1) is None
    # A number no column holds (from a URL) finds nothing, as the ORM's lookup does.
    assert prepared.all(number=2**63) == list(Order.objects.filter(number=2**63)) == []


def test_each_row_costs_one_query_and_no_compilation_after_the_first():
    order = _with_actions(1)
    prepared = Prepared(_orders)
    prepared.all(number=order.number)
    with CaptureQueriesContext(connection) as ctx:
        (row,) = prepared.all(number=order.number)
        assert row.submitted_by.email == order.submitted_by.email
    assert len(ctx.captured_queries) == 1


def test_a_value_compared_with_a_text_column_is_passed_as_text():
    kind = ContentType.objects.get_for_model(Order)
    orders = [OrderFactory(), OrderFactory()]
    for i, order in enumerate(orders):
        OutboundEmail.objects.create(
            key=f"prepared-{i}",
            template="t",
            to=["a@example.edu"],
            subject=f"Order {order.number}",
            related_type=kind,
            related_id=str(order.pk),
        )
    prepared = Prepared(lambda kind_id, object_id: emails_for_object_id(kind_id, object_id))
    for order in orders:
        rows = prepared.all(kind_id=kind.pk, object_id=order.pk)
        assert [e.subject for e in rows] == [f"Order {order.number}"]


def test_a_query_that_changes_between_requests_is_refused():
    def since_now(number: int):
        return Order.objects.filter(number=number, created_at__lte=timezone.now())

    with pytest.raises(ImproperlyConfigured, match="changes between compilations"):
        Prepared(since_now).all(number=1)

    def ignores_its_value(number: int):
        return Order.objects.filter(created_at__lte=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    with pytest.raises(ImproperlyConfigured, match="every value must reach the SQL"):
        Prepared(ignores_its_value).all(number=1)

    def shape_follows_the_value(number: int):
        return Order.objects.filter(number__in=range(number % 3 + 1))

    with pytest.raises(ImproperlyConfigured, match="depends on the values"):
        Prepared(shape_follows_the_value).all(number=1)


def test_only_the_builds_integers_are_taken():
    prepared = Prepared(_orders)
    with pytest.raises(TypeError, match="integers"):
        prepared.all(number="7")
    with pytest.raises(TypeError, match="integers"):
        prepared.all(number=7, other=1)


def test_prefetched_rows_answer_the_related_manager_without_a_query():
    order = _with_actions(3)
    actions = Prepared(
        lambda order_id: OrderAction.objects.filter(order_id=order_id).order_by("-position")
    )
    order = Order.objects.get(pk=order.pk)
    prefetched_set(order, "actions", actions.all(order_id=order.pk))
    with CaptureQueriesContext(connection) as ctx:
        names = [a.name for a in order.actions.all()]
        backs = {a.order is order for a in order.actions.all()}
    assert names == ["Step 3", "Step 2", "Step 1"]
    assert backs == {True}
    assert ctx.captured_queries == []


@pytest.mark.django_db(transaction=True)
def test_a_thread_runs_the_prepared_sql_on_its_own_connection():
    order = OrderFactory(submitted_by=UserFactory(full_name="Threaded Person"))
    prepared = Prepared(_orders)
    prepared.all(number=order.number)  # compiled on this thread's connection

    def read() -> tuple[str, int]:
        try:
            (row,) = prepared.all(number=order.number)
            return row.submitted_by.full_name, id(connections["default"])
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        name, used = pool.submit(read).result()
    assert name == "Threaded Person"
    assert used != id(connections["default"])
