"""Order lifecycle after submission: manual actions, hold, resume, cancel, completion."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orders.choices import (
    FINISHED_ACTION_STATUSES,
    LINK_PURPOSE_ORDER_FINISH,
    LINK_PURPOSE_ORDER_SECRET,
    ActionKind,
    ActionStatus,
    OrderStatus,
)
from orders.exceptions import OrderError, OrderPermissionDenied, OrderTransitionNotAllowed
from orders.models import (
    Order,
    OrderAction,
)
from scheduling.selectors import booking_active_for
from scheduling.services import booking_cancel

from ._core import (
    action_finished_fields,
    action_saved_with_waiting_since,
    order_advance_schedule,
    order_audit_add,
    order_lock,
    run_transition,
    status_label,
)


def _require_worker(actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("orders.work_order")):
        raise OrderPermissionDenied("You may not work on orders.")


def _current_action(order: Order) -> OrderAction | None:
    return order.actions.exclude(status__in=FINISHED_ACTION_STATUSES).order_by("position").first()


def _finish_action(*, action: OrderAction, actor, note: str, status: str) -> OrderAction:
    _require_worker(actor)
    order = order_lock(order_id=action.order_id)
    if order.status not in (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS):
        raise OrderTransitionNotAllowed(
            f"Actions cannot be worked: order {order.number} is "
            f"{status_label(order.status).lower()}.",
            order=order,
            action="action",
        )
    action = OrderAction.objects.select_for_update().get(pk=action.pk)
    if action.status in FINISHED_ACTION_STATUSES:
        raise OrderError(f"“{action.name}” is already {action.get_status_display().lower()}.")
    current = _current_action(order)
    if current is not None and current.pk != action.pk:
        raise OrderError(f"Finish “{current.name}” first: actions run in order.")
    if status == ActionStatus.DONE and action.kind != ActionKind.MANUAL:
        raise OrderError(f"“{action.name}” runs automatically; retry or skip it instead.")
    if action.status == ActionStatus.RUNNING:
        raise OrderError(f"“{action.name}” is running now; wait for it to finish.")
    action.status = status
    action.note = note.strip()
    action.processed_by = actor
    action.processed_at = timezone.now()
    finished = action_finished_fields(action=action, order=order)
    action.save(update_fields=["status", "note", "processed_by", "processed_at", *finished])
    action_saved_with_waiting_since(action)
    if order.status == OrderStatus.SUBMITTED:
        run_transition(order=order, action="start", actor=actor, check_permission=False)
    verb = "done" if status == ActionStatus.DONE else "skipped"
    order_audit_add(
        order=order,
        actor=actor,
        transition=f"action_{verb}",
        from_status=order.status,
        to_status=order.status,
        note=f"{action.position}. {action.name} {verb}" + (f": {note.strip()}" if note else "."),
    )
    if _current_action(order) is None:
        order_complete_locked(order=order, actor=actor)
    else:
        order_advance_schedule(order=order)
    return action


@transaction.atomic
def order_action_process(*, action: OrderAction, actor, note: str = "") -> OrderAction:
    """Mark the current manual action done (staff with orders.work_order)."""
    return _finish_action(action=action, actor=actor, note=note, status=ActionStatus.DONE)


@transaction.atomic
def order_action_skip(*, action: OrderAction, actor, note: str) -> OrderAction:
    """Skip the current action (manual, or an automated one that failed); a note is required."""
    if not (note or "").strip():
        raise ValidationError({"note": "Say why this action is skipped."})
    return _finish_action(action=action, actor=actor, note=note, status=ActionStatus.SKIPPED)


@transaction.atomic
def order_action_retry(*, action: OrderAction, actor) -> OrderAction:
    """Run a failed automated action again."""
    _require_worker(actor)
    order = order_lock(order_id=action.order_id)
    action = OrderAction.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionStatus.FAILED or order.status not in (
        OrderStatus.SUBMITTED,
        OrderStatus.IN_PROGRESS,
    ):
        raise OrderError(f"Only failed actions of open orders can be retried: “{action.name}”.")
    action.status = ActionStatus.PENDING
    action.attempts = 0
    action.save(update_fields=["status", "attempts"])
    order_audit_add(
        order=order,
        actor=actor,
        transition="action_retry",
        from_status=order.status,
        to_status=order.status,
        note=f"{action.position}. {action.name} retried.",
    )
    order_advance_schedule(order=order)
    return action


def order_complete_locked(*, order: Order, actor=None, job: str = "") -> Order:
    """Complete an order already locked by the caller; purge secrets, revoke links, notify."""
    from notifications.links import access_links_revoke_for

    from .notify import order_completed_notify
    from .secrets import enduser_secrets_purge_for_order

    run_transition(
        order=order,
        action="complete",
        actor=actor,
        job=job,
        check_permission=False,
        note="Every action is done or skipped.",
    )
    enduser_secrets_purge_for_order(order=order, reason="completed")
    # The new account's one-time set-password link outlives completion: a fully
    # automated order completes right after emailing it (it expires on its own).
    for purpose in (LINK_PURPOSE_ORDER_FINISH, LINK_PURPOSE_ORDER_SECRET):
        access_links_revoke_for(target=order, purpose=purpose, reason="The order is completed.")
    order_completed_notify(order=order)
    return order


@transaction.atomic
def order_hold(*, order: Order, actor, note: str = "") -> Order:
    """Pause a submitted or in-progress order; automation waits until it resumes."""
    order = order_lock(order_id=order.pk)
    return run_transition(order=order, action="hold", actor=actor, note=note)


@transaction.atomic
def order_resume(*, order: Order, actor, note: str = "") -> Order:
    """Back to the status the order was held from; automation picks up again."""
    order = order_lock(order_id=order.pk)
    run_transition(order=order, action="resume", actor=actor, note=note)
    order_advance_schedule(order=order)
    return order


def _may_cancel(order: Order, actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_perm("orders.cancel_order"):
        return True
    # The coordinator who started a draft may withdraw it.
    return order.status == OrderStatus.DRAFT and order.submitted_by_id == actor.pk


@transaction.atomic
def order_cancel(*, order: Order, actor, note: str = "") -> Order:
    """Cancel from any non-final status; never undone. Secrets purged, links revoked,
    the appointment (if any) released."""
    from notifications.links import access_links_revoke_for

    from .secrets import enduser_secrets_purge_for_order

    order = order_lock(order_id=order.pk)
    if not order.is_final and not _may_cancel(order, actor):
        raise OrderPermissionDenied("You may not cancel this order.")
    run_transition(order=order, action="cancel", actor=actor, check_permission=False, note=note)
    order.actions.filter(status__in=[ActionStatus.PENDING, ActionStatus.RUNNING]).update(
        status=ActionStatus.SKIPPED, note="The order was cancelled."
    )
    enduser_secrets_purge_for_order(order=order, reason="cancelled")
    access_links_revoke_for(target=order, reason="The order was cancelled.")
    _cancel_booking(order=order, actor=actor)
    return order


def _cancel_booking(*, order: Order, actor) -> None:
    booking = booking_active_for(obj=order)
    if booking is not None:
        booking_cancel(booking=booking, by=actor, reason=f"Order {order.number} was cancelled.")


__all__ = [
    "order_action_process",
    "order_action_retry",
    "order_action_skip",
    "order_cancel",
    "order_complete_locked",
    "order_hold",
    "order_resume",
]
