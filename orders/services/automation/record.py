"""Recording a step's outcome: done, a transient retry, a person needed, failed.
Only the run that holds the action's lease (its attempt) records."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from orders.choices import ActionKind, ActionStatus, OrderStatus
from orders.models import Order, OrderAction

from .._core import (
    action_finished_fields,
    action_saved_with_waiting_since,
    order_audit_add,
    order_lock,
)
from . import policy
from .policy import JOB, MAX_ATTEMPTS, _NeedsPerson, _Transient, needs_person_instructions
from .steps import _apply_effects


def _record(
    action_id: int, *, attempt: int, result: dict | None, error: Exception | None, kind
) -> int | None:
    """Write the outcome; returns seconds to wait before a retry, if one is due.

    Only the run that holds the action (its ``attempt``) records: a run whose
    lease lapsed and was reclaimed by another worker records nothing.
    """
    with transaction.atomic():
        action = OrderAction.objects.select_related("order").get(pk=action_id)
        order = order_lock(order_id=action.order_id)
        action = OrderAction.objects.select_for_update().get(pk=action_id)
        if action.status != ActionStatus.RUNNING or action.attempts != attempt:
            return None  # cancelled, skipped or reclaimed meanwhile
        action.lease_until = None
        now = timezone.now()
        if error is None:
            if order.status in (
                OrderStatus.SUBMITTED,
                OrderStatus.IN_PROGRESS,
                OrderStatus.ON_HOLD,
            ):
                _apply_effects(action, order)
            action.status = ActionStatus.DONE
            action.result = result or {}
            action.note = (result or {}).get("skipped", "")
            action.last_error = ""
            action.processed_at = now
            finished = action_finished_fields(action=action, order=order)
            action.save(
                update_fields=[
                    "status",
                    "result",
                    "note",
                    "last_error",
                    "processed_at",
                    "lease_until",
                    *finished,
                ]
            )
            action_saved_with_waiting_since(action)
            order_audit_add(
                order=order,
                job=JOB,
                transition="action_done",
                from_status=order.status,
                to_status=order.status,
                note=f"{action.position}. {action.name} done.",
            )
            return None
        message = f"{type(error).__name__}: {error}"[:2000]
        if kind is _NeedsPerson:
            _hand_to_person(action, order, error)
            return None
        if kind is _Transient and action.attempts < MAX_ATTEMPTS:
            action.status = ActionStatus.PENDING
            action.last_error = message
            action.save(update_fields=["status", "last_error", "lease_until"])
            return policy.retry_delay(action.attempts)
        action.status = ActionStatus.FAILED
        action.last_error = message
        action.save(update_fields=["status", "last_error", "lease_until"])
        order_audit_add(
            order=order,
            job=JOB,
            transition="action_failed",
            from_status=order.status,
            to_status=order.status,
            note=f"{action.position}. {action.name} failed after {action.attempts} "
            f"attempt(s): {message}",
        )
        from ..notify import order_notify_owner

        order_notify_owner(
            order=order,
            key=f"order-{order.number}-action-{action.pk}-failed-{action.attempts}",
            summary=f"Order {order.number}: “{action.name}” failed and needs you ({message}).",
        )
        return None


def _hand_to_person(action: OrderAction, order: Order, error: Exception) -> None:
    """The directory needs a person: the step becomes manual and says why (in the
    record transaction); the owner is told."""
    from ..notify import order_notify_owner

    instructions = needs_person_instructions(error)
    action.kind = ActionKind.MANUAL
    action.status = ActionStatus.PENDING
    action.instructions = instructions[:4000]
    action.last_error = str(error)[:2000]
    action.save(update_fields=["kind", "status", "instructions", "last_error", "lease_until"])
    order_audit_add(
        order=order,
        job=JOB,
        transition="action_needs_person",
        from_status=order.status,
        to_status=order.status,
        note=f"{action.position}. {action.name}: {instructions}",
    )
    order_notify_owner(
        order=order,
        key=f"order-{order.number}-action-{action.pk}-needs-person",
        summary=f"Order {order.number}: “{action.name}” needs you. {instructions}",
    )
