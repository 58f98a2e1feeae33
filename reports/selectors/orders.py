"""The order desk dashboard: fixed GROUP BY queries over orders and actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncWeek

from orders.choices import OrderStatus, OrderType
from orders.models import Order, OrderAction, OrderQueue

from .common import (
    OPEN_ORDER_STATUSES,
    WEEKS_SHOWN,
    _as_date,
    _durations_by_group,
    _local_midnight,
    _week_starts,
    cached,
)


# --- order desk dashboard -------------------------------------------------------------
@dataclass
class OrdersDashboard:
    open_by_queue_owner: list[dict]
    created_vs_completed: list[tuple[dt.date, int, int]]
    on_time: list[dict]
    action_times: list[dict]
    queues: list[tuple[int, str]]


def orders_open_by_queue_owner(*, orders: QuerySet) -> list[dict]:
    """Open orders (submitted, in progress, on hold) per queue and owner; one query."""
    rows = (
        orders.filter(status__in=OPEN_ORDER_STATUSES)
        .values_list("queue__name", "owner__full_name", "owner__email")
        .annotate(n=Count("id"))
    )
    result = [
        {"queue": queue, "owner": name or email or "Unassigned", "count": n}
        for queue, name, email, n in rows
    ]
    return sorted(result, key=lambda r: (r["queue"], -r["count"], r["owner"]))


def orders_created_vs_completed(
    *, orders: QuerySet, weeks: int = WEEKS_SHOWN
) -> list[tuple[dt.date, int, int]]:
    """(week, created, completed) for the last ``weeks`` weeks; two queries."""
    starts = _week_starts(weeks)
    since = _local_midnight(starts[0])
    created = {
        _as_date(week): n
        for week, n in orders.filter(created_at__gte=since)
        .exclude(status=OrderStatus.DRAFT)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    }
    completed = {
        _as_date(week): n
        for week, n in orders.filter(status=OrderStatus.COMPLETED, completed_at__gte=since)
        .annotate(week=TruncWeek("completed_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    }
    return [(week, created.get(week, 0), completed.get(week, 0)) for week in starts]


def orders_on_time(*, orders: QuerySet) -> list[dict]:
    """Completed orders with a planned date, on time or late, per type; one query.

    On time: completed (business time zone date) on or before the planned date.
    """
    rows = (
        orders.filter(status=OrderStatus.COMPLETED, planned_completion_date__isnull=False)
        .values_list("order_type")
        .annotate(
            on_time=Count("id", filter=Q(completed_at__date__lte=F("planned_completion_date"))),
            late=Count("id", filter=Q(completed_at__date__gt=F("planned_completion_date"))),
        )
    )
    found = {kind: (on_time, late) for kind, on_time, late in rows}
    return [
        {
            "type": kind.value,
            "label": kind.label,
            "on_time": found.get(kind.value, (0, 0))[0],
            "late": found.get(kind.value, (0, 0))[1],
        }
        for kind in OrderType
    ]


def orders_action_times(
    *, queue_id: int | None = None, queue_names: dict[int, str] | None = None
) -> list[dict]:
    """Median and 90th percentile days each step of each queue took; one query
    (and one for the queues' names unless ``queue_names`` is given).

    A step's time runs from when it began waiting (the previous step's
    processing, or the order's submission for the first) to its own processing.
    Skipped steps are not counted. Each step done stores that time and its
    order's queue (``OrderAction.duration_seconds`` and ``done_queue``, set in the UPDATE
    that finishes it, filled for older steps by migration ``orders.0010``), so
    this reads one partial index in group order: no orders, no join, no sort.
    """
    actions = OrderAction.objects.order_by().filter(duration_seconds__isnull=False)
    if queue_id:
        actions = actions.filter(done_queue_id=queue_id)
    found = _durations_by_group(
        actions.values("done_queue_id", "position", "name", "duration_seconds"),
        group=("done_queue_id", "position", "name"),
        duration="duration_seconds",
    )
    if queue_names is None:
        queue_names = dict(OrderQueue.objects.values_list("pk", "name"))
    rows = [
        {"queue": queue_names.get(queue, ""), "position": position, "name": name, **stats}
        for (queue, position, name), stats in found.items()
    ]
    return sorted(rows, key=lambda r: (r["queue"], r["position"], r["name"]))


def orders_dashboard_cached(*, queue_id: int | None = None) -> OrdersDashboard:
    return cached(
        f"reports:orders-dashboard:{queue_id or ''}",
        lambda: orders_dashboard(queue_id=queue_id),
    )


def orders_dashboard(*, queue_id: int | None = None) -> OrdersDashboard:
    orders = Order.objects.order_by()
    if queue_id:
        orders = orders.filter(queue_id=queue_id)
    queues = list(OrderQueue.objects.order_by("name").values_list("pk", "name"))
    return OrdersDashboard(
        open_by_queue_owner=orders_open_by_queue_owner(orders=orders),
        created_vs_completed=orders_created_vs_completed(orders=orders),
        on_time=orders_on_time(orders=orders),
        action_times=orders_action_times(queue_id=queue_id, queue_names=dict(queues)),
        queues=queues,
    )
