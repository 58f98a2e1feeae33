"""The transition runner and helpers every order service shares.

lock the row (``select_for_update``) → check state and permission → call the
model transition → save with ``update_fields`` → audit row. Effects after
commit are scheduled by the calling service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.db import models, transaction
from django.db.models import Case, Exists, Func, Subquery, Value, When
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from common.effects import enqueue_on_commit
from common.pagination import counts_changed
from common.services import model_update
from orders.choices import ActionStatus, OrderStatus
from orders.exceptions import OrderPermissionDenied, OrderTransitionNotAllowed
from orders.models import Order, OrderAction, OrderAudit, OrderNumberCounter

ACTION_LABELS = {
    "submit": "Submit",
    "start": "Start",
    "complete": "Complete",
    "hold": "Put on hold",
    "resume": "Resume",
    "cancel": "Cancel",
}

# Fields each transition method writes besides the status.
ACTION_FIELDS = {
    "submit": ["submitted_at"],
    "start": [],
    "complete": ["completed_at"],
    "hold": ["status_before_hold"],
    "resume": ["status_before_hold"],
    "cancel": ["status_before_hold", "cancelled_at"],
}


# How far ahead a requested or planned completion date may be.
COMPLETION_DATE_MAX_DAYS = 2 * 365


def completion_date_errors(*, today: date | None = None, **dates: date | None) -> dict[str, str]:
    """Completion dates must be today or later and at most two years ahead, by field."""
    today = today or timezone.localdate()
    latest = today + timedelta(days=COMPLETION_DATE_MAX_DAYS)
    errors = {}
    for field, value in dates.items():
        if value is None:
            continue
        if value < today:
            errors[field] = f"Choose today ({today:%B} {today.day}, {today.year}) or a later date."
        elif value > latest:
            errors[field] = (
                f"Choose a date within two years (by {latest:%B} {latest.day}, {latest.year})."
            )
    return errors


def status_label(status: str) -> str:
    try:
        return OrderStatus(status).label
    except ValueError:
        return status


def action_waiting_since(*, action: OrderAction, order: Order) -> Case:
    """When ``action`` began waiting, for the UPDATE that finishes it (no extra query).

    The previous step's processing (even if that is empty), or the order's
    submission when it is the first step: what the dashboard's step times start
    from (``reports.selectors.orders_action_times``).
    """
    previous = OrderAction.objects.filter(
        order_id=action.order_id, position__lt=action.position
    ).order_by("-position")
    return Case(
        When(Exists(previous), then=Subquery(previous.values("processed_at")[:1])),
        default=Value(order.submitted_at, output_field=models.DateTimeField()),
        output_field=models.DateTimeField(),
    )


class _SecondsBetween(Func):
    """Seconds from the datetime expression ``start`` to the datetime ``end`` (a float)."""

    output_field = models.FloatField()

    def __init__(self, start, end):
        super().__init__(Value(end, output_field=models.DateTimeField()), start)

    def as_sql(self, compiler, connection, **extra):
        return self.as_sqlite(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra,
        )


def action_finished_fields(*, action: OrderAction, order: Order) -> list[str]:
    """Set what the UPDATE finishing ``action`` stores for the order desk dashboard
    and return those fields: when it began waiting (``action_waiting_since``) and,
    for a step done (``processed_at`` set), how long it took and the order's queue.
    """
    began = action_waiting_since(action=action, order=order)
    action.waiting_since = began
    if action.status != ActionStatus.DONE:
        return ["waiting_since"]
    action.duration_seconds = _SecondsBetween(began, action.processed_at)
    action.done_queue_id = order.queue_id
    return ["waiting_since", "duration_seconds", "done_queue"]


def action_saved_with_waiting_since(action: OrderAction) -> None:
    """After a save that wrote ``action_finished_fields``: drop the expressions from
    the instance, so reading the fields loads the stored values."""
    action.__dict__.pop("waiting_since", None)
    action.__dict__.pop("duration_seconds", None)


def order_lock(*, order_id: int) -> Order:
    """The order row, locked for this transaction."""
    return Order.objects.select_for_update().get(pk=order_id)


def order_draft_lock(*, order: Order, noun: str = "order") -> Order:
    """Lock ``order`` for an edit of its draft; anything past draft is refused."""
    order = order_lock(order_id=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise OrderTransitionNotAllowed(
            f"Only drafts can be edited: {noun} {order.number} is "
            f"{status_label(order.status).lower()}.",
            order=order,
            action="edit",
        )
    return order


def order_audit_add(
    *,
    order: Order,
    actor=None,
    job: str = "",
    transition: str = "",
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    changes: dict[str, list[str]] | None = None,
) -> OrderAudit:
    """One audit row on ``order``: who (a user, or a named job) did what.

    Every write staff lists show (creation, transitions, field changes, steps)
    writes one, so this is also where the lists' cached counts are dropped: now,
    and again after commit (a reader between the two would cache old numbers).
    """
    order_counts_changed()
    return OrderAudit.objects.create(
        order=order,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_job=job[:80],
        transition=transition,
        from_status=from_status,
        to_status=to_status or order.status,
        note=note,
        changes=changes or {},
    )


def order_counts_changed() -> None:
    """Forget the cached totals and page counts of the staff order lists."""
    counts_changed("orders")
    transaction.on_commit(lambda: counts_changed("orders"))


def order_fields_update(
    *,
    order: Order,
    actor,
    data: dict,
    transition: str,
    note: Callable[[dict[str, list[str]]], str],
    m2m_fields: tuple[str, ...] = (),
) -> dict[str, list[str]]:
    """Set the changed fields of a locked ``order`` (``common.services.model_update``)
    and write one audit row: ``transition``, the before/after of each changed field,
    and ``note(changes)`` as the sentence staff read. Returns the changes (empty:
    nothing saved, no row)."""

    def audit(changes):
        order_audit_add(
            order=order,
            actor=actor,
            transition=transition,
            from_status=order.status,
            to_status=order.status,
            note=note(changes),
            changes=changes,
        )

    _, changes = model_update(
        instance=order, data=data, actor=actor, audit=audit, m2m_fields=m2m_fields
    )
    return changes


def run_transition(
    *,
    order: Order,
    action: str,
    actor=None,
    job: str = "",
    note: str = "",
    check_permission: bool = True,
    extra_fields: list[str] | tuple[str, ...] = (),
) -> Order:
    """Apply ``action`` to an order already locked by the caller; audit it."""
    method = getattr(order, action)
    if not can_proceed(method):
        raise OrderTransitionNotAllowed(
            f"{ACTION_LABELS[action]} is not possible: order {order.number} is "
            f"{status_label(order.status).lower()}.",
            order=order,
            action=action,
        )
    if check_permission and actor is not None and not has_transition_perm(method, actor):
        raise OrderPermissionDenied()
    from_status = order.status
    method()
    order.save(update_fields=["status", "updated_at", *ACTION_FIELDS[action], *extra_fields])
    order_audit_add(
        order=order,
        actor=actor,
        job=job,
        transition=action,
        from_status=from_status,
        to_status=order.status,
        note=note,
    )
    return order


def order_advance_schedule(*, order: Order) -> None:
    """Run the order's automated actions on a worker once this transaction commits."""
    enqueue_on_commit("orders.tasks.order_actions_advance_task", order_id=order.pk)


@transaction.atomic
def order_number_allocate() -> int:
    """The next order number; the counter row is locked so two orders never share one."""
    counter = OrderNumberCounter.objects.select_for_update().filter(pk=1).first()
    if counter is None:
        OrderNumberCounter.objects.get_or_create(pk=1)
        counter = OrderNumberCounter.objects.select_for_update().get(pk=1)
        last_used = Order.objects.order_by("-number").values_list("number", flat=True).first()
        if last_used and last_used > counter.last_number:
            counter.last_number = last_used
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
