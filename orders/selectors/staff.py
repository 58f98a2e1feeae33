"""Reads of the staff order manager; access is checked here (deny by default).

Only people with ``orders.work_order`` (orders technicians and managers, and
superusers) get anything back: everyone else gets an empty queryset or None.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from accounts.models import Organization, User
from common.pagination import cached_value
from notifications.selectors import emails_for_object
from orders.choices import FINISHED_ACTION_STATUSES, MessageKind, OrderStatus, OrderType
from orders.models import (
    Order,
    OrderAction,
    OrderAudit,
    OrderITSMTicket,
    OrderMessage,
    OrderQueue,
    OrderSubscription,
)
from orders.roles import can_work_orders
from orders.selectors.portal import with_software

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


# The people joined to the order page's rows are printed by name and email only:
# reading every column of each (password hash, stamps, flags) cost more to select
# and build than the rest of the row (issue #17). Other columns load on access.
PERSON_COLUMNS = ("full_name", "email", "is_active")
_ORDER_PEOPLE = ("owner", "submitted_by", "existing_user")


def _order_page_columns() -> list[str]:
    own = [f.attname for f in Order._meta.concrete_fields]
    joined = [
        f"{join}__{f.name}"
        for join in ORDER_JOINS
        if join not in _ORDER_PEOPLE
        for f in Order._meta.get_field(join).related_model._meta.concrete_fields
    ]
    people = [f"{join}__{column}" for join in _ORDER_PEOPLE for column in PERSON_COLUMNS]
    return own + joined + people


def staff_order_get(*, user, number: int) -> Order | None:
    """One order with everything its staff page shows, or None (deny by default)."""
    if not can_work_orders(user):
        return None
    order = (
        Order.objects.select_related(*ORDER_JOINS)
        .only(*_order_page_columns())
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=OrderAction.objects.select_related("processed_by")
                .only(
                    *(f.attname for f in OrderAction._meta.concrete_fields),
                    *(f"processed_by__{column}" for column in PERSON_COLUMNS),
                )
                .order_by("position"),
            ),
        )
        .annotate(
            subscribed=Exists(OrderSubscription.objects.filter(order=OuterRef("pk"), user=user))
        )
        .filter(number=number)
        .first()
    )
    return order and with_software(order)


def staff_order_messages(*, order: Order) -> QuerySet[OrderMessage]:
    """The whole thread (internal messages included), oldest first."""
    return (
        order.messages.select_related("author", "assigned_to", "quoted", "quoted__author")
        .only(
            *(f.attname for f in OrderMessage._meta.concrete_fields),
            "quoted__body",
            *(
                f"{person}__{column}"
                for person in ("author", "assigned_to", "quoted__author")
                for column in PERSON_COLUMNS
            ),
        )
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def staff_order_audits(*, order: Order) -> QuerySet[OrderAudit]:
    """The order's history, newest first: the columns the page prints (not the
    edits' before/after JSON)."""
    return (
        order.audits.select_related("actor")
        .only(
            "order_id",
            "created_at",
            "note",
            "from_status",
            "to_status",
            "actor_job",
            "actor__full_name",
            "actor__email",
        )
        .order_by("-created_at", "-id")
    )


def staff_order_emails(*, order: Order):
    """Emails sent for the order, newest first: subject, status, recipients, time."""
    return (
        emails_for_object(obj=order)
        .only("subject", "status", "to", "created_at")
        .order_by("-created_at", "-id")
    )


def staff_order_appointments(*, order: Order) -> list:
    """A software install's bookings, newest first: the active one, then those it replaced
    (moved or cancelled). Other order types book nothing: no query."""
    if order.order_type != OrderType.INSTALL_SOFTWARE:
        return []
    from scheduling.selectors import bookings_for

    return list(bookings_for(obj=order).order_by("-created_at", "-pk"))


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


def staff_order_itsm_tickets(*, order: Order) -> QuerySet[OrderITSMTicket]:
    return order.itsm_tickets.order_by("created_at", "id")


def staff_order_subscribers(*, order: Order) -> QuerySet[User]:
    return User.objects.filter(order_subscriptions__order=order).order_by("full_name", "email")


def staff_order_subscribed_users(*, order: Order) -> list[User]:
    """The order's subscribers in the order they subscribed (one query: the page's
    compose form starts its To with them and its sidebar lists them)."""
    return [
        subscription.user
        for subscription in OrderSubscription.objects.filter(order=order)
        .select_related("user")
        .order_by("created_at", "id")
    ]


def orders_staff_users() -> QuerySet[User]:
    """Active people who may work orders (owners, follow-up assignees)."""
    perm = Q(
        groups__permissions__codename="work_order",
        groups__permissions__content_type__app_label="orders",
    ) | Q(
        user_permissions__codename="work_order",
        user_permissions__content_type__app_label="orders",
    )
    ids = User.objects.filter(perm | Q(is_superuser=True)).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("full_name", "email")


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


def staff_message_get(*, order: Order, message_id: int | None) -> OrderMessage | None:
    """A message of ``order`` (the one a new message quotes), or None."""
    if not message_id:
        return None
    return OrderMessage.objects.filter(order=order, pk=message_id).first()


def staff_itsm_ticket_get(*, order: Order, ticket_id: int) -> OrderITSMTicket | None:
    return order.itsm_tickets.filter(pk=ticket_id).first()


def staff_organization_get(*, user, pk) -> Organization | None:
    """A client organization staff may associate an order with (None for anyone else)."""
    if not can_work_orders(user) or not str(pk or "").isdigit():
        return None
    return Organization.objects.filter(pk=int(pk)).first()
