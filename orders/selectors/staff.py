"""Reads of the staff order manager; access is checked here (deny by default).

Only people with ``orders.work_order`` (orders technicians and managers, and
superusers) get anything back: everyone else gets an empty queryset or None.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from accounts.models import Organization
from common.pagination import cached_value
from orders.choices import FINISHED_ACTION_STATUSES, MessageKind, OrderStatus, OrderType
from orders.models import (
    Order,
    OrderAction,
    OrderMessage,
    OrderQueue,
)
from orders.roles import can_work_orders

WAITING_STATUSES = (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)
# The cache namespace of the lists' totals and page counts; orders services drop
# it on every audited write (orders.services._core.order_counts_changed).
ORDERS_COUNTS = "orders"

# What the staff lists and the order page show beside each order (one join each).
ORDER_JOINS = (
    "organization",
    "owner",
    "queue",
    "submitted_by",
    "existing_user",
    "existing_placeholder",
)


def _current_action() -> QuerySet[OrderAction]:
    """The first unfinished action of the outer order (the step it waits on)."""
    return (
        OrderAction.objects.filter(order=OuterRef("pk"))
        .exclude(status__in=FINISHED_ACTION_STATUSES)
        .order_by("position")
    )


def waiting_on_step(step: int) -> Q:
    """Open orders whose first unfinished action is at position ``step``: one there,
    none before it. Two probes of the (order, position) index per order, where
    computing every open order's first unfinished step to compare it cost 75 ms
    in a queue of 25k open orders."""
    unfinished = OrderAction.objects.exclude(status__in=FINISHED_ACTION_STATUSES).filter(
        order=OuterRef("pk")
    )
    return (
        Q(status__in=WAITING_STATUSES)
        & Exists(unfinished.filter(position=step))
        & ~Exists(unfinished.filter(position__lt=step))
    )


def order_search_q(search: str) -> Q:
    """The staff lists' search: organization, the person's name, username or email,
    who submitted it, the workstation; digits also match the order number."""
    match = (
        Q(organization__name__icontains=search)
        | Q(new_full_name__icontains=search)
        | Q(new_username__icontains=search)
        | Q(new_email__icontains=search)
        | Q(existing_user__full_name__icontains=search)
        | Q(existing_user__email__icontains=search)
        | Q(submitted_by__full_name__icontains=search)
        | Q(workstation__icontains=search)
    )
    if search.isdigit():
        match |= Q(number=int(search))
    return match


def staff_orders(
    *,
    user,
    queue_id: int | None = None,
    status: str = "",
    search: str = "",
    step: int = 0,
    owner=None,
) -> QuerySet[Order]:
    """Orders for the staff lists, each annotated with the step it waits on.

    One query whatever the number of orders: organization, owner, queue and
    submitter are joined, the waiting step comes from a subquery.
    """
    if not can_work_orders(user):
        return Order.objects.none()
    current = _current_action()
    qs = Order.objects.select_related(*ORDER_JOINS).annotate(
        waiting_on=Subquery(current.values("name")[:1]),
        waiting_position=Subquery(current.values("position")[:1]),
        waiting_kind=Subquery(current.values("kind")[:1]),
        waiting_status=Subquery(current.values("status")[:1]),
    )
    if queue_id:
        qs = qs.filter(queue_id=queue_id)
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if step:
        qs = qs.filter(waiting_on_step(step))
    search = (search or "").strip()
    if search:
        qs = qs.filter(order_search_q(search))
    return qs.order_by("-created_at", "-id")


def staff_status_counts(*, user, queue_id: int | None = None) -> dict[str, int]:
    """Orders per status (every status present), one cached query; empty for non-staff."""
    if not can_work_orders(user):
        return {}

    def compute():
        qs = Order.objects.all()
        if queue_id:
            qs = qs.filter(queue_id=queue_id)
        return dict(qs.order_by().values_list("status").annotate(n=Count("id")))

    # Cached (common.pagination): a GROUP BY over every order costs tens of ms at 100k.
    found = cached_value(ORDERS_COUNTS, f"status|{queue_id or ''}", compute)
    return {value: found.get(value, 0) for value in OrderStatus.values}


def staff_queues(*, user) -> list[OrderQueue]:
    """Queues with their open-order counts (cached: one query when warm, two when cold)."""
    if not can_work_orders(user):
        return []
    queues = list(OrderQueue.objects.order_by("-active", "name"))
    open_counts = cached_value(
        ORDERS_COUNTS,
        "queues-open",
        lambda: dict(
            Order.objects.filter(status__in=WAITING_STATUSES, queue__isnull=False)
            .order_by()
            .values_list("queue_id")
            .annotate(n=Count("id"))
        ),
    )
    for queue in queues:
        queue.open_count = open_counts.get(queue.pk, 0)
    return queues


def staff_queue_get(*, user, queue_id: int) -> OrderQueue | None:
    if not can_work_orders(user):
        return None
    return (
        OrderQueue.objects.select_related("default_owner")
        .prefetch_related("action_templates", "team")
        .filter(pk=queue_id)
        .first()
    )


def queue_step_totals(*, queue_id: int) -> dict:
    """Open orders of the queue by the position of the step each waits on (None: every
    step finished); one grouped query, cached with the lists' totals."""
    return cached_value(
        ORDERS_COUNTS,
        f"steps|{queue_id}",
        lambda: {
            row["waiting_position"]: row["n"]
            for row in Order.objects.filter(queue_id=queue_id, status__in=WAITING_STATUSES)
            .annotate(waiting_position=Subquery(_current_action().values("position")[:1]))
            .order_by()
            .values("waiting_position")
            .annotate(n=Count("id"))
        },
    )


def staff_step_counts(*, user, queue: OrderQueue) -> list[dict]:
    """Each step of ``queue`` with how many open orders wait on it (one query, plus
    one when the counts are not cached).

    An order waits on its first unfinished action; orders of this queue whose
    actions were copied from an older version of the queue count by position.
    """
    if not can_work_orders(user):
        return []
    by_position = dict(queue_step_totals(queue_id=queue.pk))
    steps = [
        {"position": t.position, "name": t.name, "kind": t.get_kind_display(), "count": 0}
        for t in queue.action_templates.all()
    ]
    for step in steps:
        step["count"] = by_position.pop(step["position"], 0)
    # Orders with every action finished but not yet completed, or steps no longer in the queue.
    other = sum(by_position.values())
    return steps + ([{"position": 0, "name": "Other", "kind": "", "count": other}] if other else [])


def staff_follow_ups_for(*, user, limit: int = 10) -> list[OrderMessage]:
    """Follow-ups assigned to ``user`` on open orders, newest first (one query)."""
    if not can_work_orders(user):
        return []
    return list(
        OrderMessage.objects.filter(
            kind=MessageKind.FOLLOW_UP,
            assigned_to=user,
            order__status__in=[OrderStatus.DRAFT, *WAITING_STATUSES],
        )
        .select_related("order", "author")
        .order_by("-created_at", "-id")[:limit]
    )


def technician_appointments(*, user, start, end) -> list[tuple]:
    """(booking, order) of the active appointments of the installs ``user`` owns whose
    slot starts in [start, end), by start time: three queries whatever the number."""
    from scheduling.selectors import bookings_active_for_objects

    orders = list(
        Order.objects.filter(owner=user, order_type=OrderType.INSTALL_SOFTWARE)
        .exclude(status=OrderStatus.CANCELLED)
        .select_related("organization", "existing_user")
        .prefetch_related("software")
    )
    bookings = bookings_active_for_objects(objs=orders)
    rows = [
        (bookings[str(order.pk)], order)
        for order in orders
        if str(order.pk) in bookings and start <= bookings[str(order.pk)].slot.start < end
    ]
    return sorted(rows, key=lambda row: row[0].slot.start)


def organizations_search(*, user, query: str, limit: int = 20) -> list[Organization]:
    """Client organizations whose name or email domain matches ``query``.

    ``pat@med.example.edu`` and ``med.example.edu`` both find the organization
    owning that domain.
    """
    if not can_work_orders(user):
        return []
    query = (query or "").strip().lower()
    if not query:
        return []
    domain = query.rsplit("@", 1)[-1]
    return list(
        Organization.objects.filter(Q(name__icontains=query) | Q(domains__domain__icontains=domain))
        .distinct()
        .order_by("name")[:limit]
    )


def staff_organization_get(*, user, pk) -> Organization | None:
    """A client organization staff may associate an order with (None for anyone else)."""
    if not can_work_orders(user) or not str(pk or "").isdigit():
        return None
    return Organization.objects.filter(pk=int(pk)).first()
