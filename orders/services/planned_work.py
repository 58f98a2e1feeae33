"""Planned work (OneDesk's tickets into tasks): staff split a request into ordered
actions, each with a title, an owner and a planned date, worked like the queue's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from orders.choices import ActionKind, OrderStatus
from orders.exceptions import OrderTransitionNotAllowed
from orders.models import Order, OrderAction

from ._core import completion_date_errors, order_audit_add, order_lock, status_label
from .staff import require_orders_staff


@transaction.atomic
def order_action_plan(
    *, order: Order, actor, name: str, owner=None, planned_date=None, instructions: str = ""
) -> OrderAction:
    """Add a manual action at the end of a submitted request's actions; audited.

    Drafts get their actions at submission and final orders none any more, so both
    are refused with the reason.
    """
    require_orders_staff(actor)
    order = order_lock(order_id=order.pk)
    if order.status in (OrderStatus.DRAFT, OrderStatus.COMPLETED, OrderStatus.CANCELLED):
        raise OrderTransitionNotAllowed(
            f"Actions are planned on submitted requests: order {order.number} is "
            f"{status_label(order.status).lower()}.",
            order=order,
            action="plan",
        )
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Give the action a title."
    if owner is not None and not owner.has_perm("orders.work_order"):
        errors["owner"] = "Choose someone who works orders."
    errors |= completion_date_errors(planned_date=planned_date)
    if errors:
        raise ValidationError(errors)
    last = order.actions.aggregate(last=Max("position"))["last"] or 0
    action = OrderAction.objects.create(
        order=order,
        position=last + 1,
        name=name[:160],
        kind=ActionKind.MANUAL,
        instructions=instructions,
        owner=owner,
        planned_date=planned_date,
    )
    order_audit_add(
        order=order,
        actor=actor,
        transition="action_planned",
        from_status=order.status,
        to_status=order.status,
        note=f"Action {action.position} planned: {action.name}"
        + (f", owner {owner}" if owner else "")
        + (f", for {planned_date.isoformat()}" if planned_date else "")
        + ".",
    )
    return action


__all__ = ["order_action_plan"]
